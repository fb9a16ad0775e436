package io.switchboard.simulator;

import java.time.Duration;

/**
 * Faults the simulator injects; see {@link SimulatorConfig.Faults} for each field. {@code failNextRequests} answers
 * that many REST requests with a 500 before the error rate applies, for tests that need it to be certain.
 */
public record Faults(int callsPerSecond, double serverErrorRate, Duration latency, Duration createResponseDelay,
        boolean callbacksOutOfOrder, boolean callbacksTwice, int failNextRequests) {

    public static final Faults NONE = new Faults(0, 0, Duration.ZERO, Duration.ZERO, false, false, 0);

    static Faults of(SimulatorConfig.Faults config) {
        return new Faults(config.callsPerSecond(), config.serverErrorRate(), config.latency(),
                config.createResponseDelay(), config.callbacksOutOfOrder(), config.callbacksTwice(), 0);
    }

    public Faults withCallsPerSecond(int value) {
        return new Faults(value, serverErrorRate, latency, createResponseDelay, callbacksOutOfOrder, callbacksTwice,
                failNextRequests);
    }

    public Faults withServerErrorRate(double value) {
        return new Faults(callsPerSecond, value, latency, createResponseDelay, callbacksOutOfOrder, callbacksTwice,
                failNextRequests);
    }

    public Faults withLatency(Duration value) {
        return new Faults(callsPerSecond, serverErrorRate, value, createResponseDelay, callbacksOutOfOrder,
                callbacksTwice, failNextRequests);
    }

    public Faults withCreateResponseDelay(Duration value) {
        return new Faults(callsPerSecond, serverErrorRate, latency, value, callbacksOutOfOrder, callbacksTwice,
                failNextRequests);
    }

    public Faults withCallbacksOutOfOrder(boolean value) {
        return new Faults(callsPerSecond, serverErrorRate, latency, createResponseDelay, value, callbacksTwice,
                failNextRequests);
    }

    public Faults withCallbacksTwice(boolean value) {
        return new Faults(callsPerSecond, serverErrorRate, latency, createResponseDelay, callbacksOutOfOrder, value,
                failNextRequests);
    }

    public Faults withFailNextRequests(int value) {
        return new Faults(callsPerSecond, serverErrorRate, latency, createResponseDelay, callbacksOutOfOrder,
                callbacksTwice, value);
    }
}
