package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/** The faults and pace the simulator runs with now, and the one-off route failures tests ask for. */
@IfBuildProfile(anyOf = { "dev", "test" })
@Singleton
class Conditions {

    private final SimulatorConfig config;
    private final Map<String, RouteFailure> routeFailures = new ConcurrentHashMap<>();
    private final Map<SimRegion, SimError> regionOutages = new ConcurrentHashMap<>();
    private final Map<String, SimError> accountFailures = new ConcurrentHashMap<>();
    private final Map<String, Duration> accountLatency = new ConcurrentHashMap<>();
    private final Map<String, RouteDelay> routeDelays = new ConcurrentHashMap<>();
    private volatile Faults faults;
    private volatile Timing timing;

    Conditions(SimulatorConfig config) {
        this.config = config;
        reset();
    }

    private record RouteFailure(int status, int code, AtomicInteger remaining) {
    }

    private record RouteDelay(Duration delay, AtomicInteger remaining) {
    }

    /** Back to the configured faults and timing, with no route failure pending. */
    void reset() {
        routeFailures.clear();
        clearScopedFaults();
        routeDelays.clear();
        faults = Faults.of(config.faults());
        timing = Timing.of(config.timing());
    }

    Faults faults() {
        return faults;
    }

    void setFaults(Faults faults) {
        this.faults = faults;
    }

    Timing timing() {
        return timing;
    }

    void setTiming(Timing timing) {
        this.timing = timing;
    }

    /** See {@link TwilioSimulator#failRegion}. */
    void failRegion(SimRegion region, int status, int code) {
        regionOutages.put(region, new SimError(status, code, "injected outage of " + region.id()));
    }

    /** See {@link TwilioSimulator#failAccount}. */
    void failAccount(String accountSid, int status, int code) {
        accountFailures.put(accountSid, new SimError(status, code, "injected failure of the account"));
    }

    /** See {@link TwilioSimulator#delayAccount}. */
    void delayAccount(String accountSid, Duration delay) {
        accountLatency.put(accountSid, delay);
    }

    void clearScopedFaults() {
        regionOutages.clear();
        accountFailures.clear();
        accountLatency.clear();
    }

    /** The outage of the region, or of the account, that answers this request instead, if one was asked for. */
    Optional<SimError> scopedFailure(SimRegion region, String accountSid) {
        var outage = regionOutages.get(region);
        if (outage != null) {
            return Optional.of(outage);
        }
        return Optional.ofNullable(accountSid == null ? null : accountFailures.get(accountSid));
    }

    /** How long this account's requests take, beyond the latency of every request. */
    Duration latency(String accountSid) {
        var extra = accountSid == null ? null : accountLatency.get(accountSid);
        return extra == null ? faults.latency() : faults.latency().plus(extra);
    }

    /** See {@link TwilioSimulator#failRoute}. */
    void failRoute(String method, String route, int status, int code, int times) {
        routeFailures.put(method + " " + route, new RouteFailure(status, code, new AtomicInteger(times)));
    }

    /** An injected failure for this request, if {@link #failRoute} asked for one. */
    Optional<SimError> drawRouteFailure(String method, String route) {
        var failure = routeFailures.get(method + " " + route);
        if (failure == null || failure.remaining().getAndDecrement() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new SimError(failure.status(), failure.code(), "injected failure"));
    }

    /** See {@link TwilioSimulator#delayRouteAnswers}. */
    void delayRouteAnswers(String method, String route, Duration delay, int times) {
        routeDelays.put(method + " " + route, new RouteDelay(delay, new AtomicInteger(times)));
    }

    /** How long the answer to this request, already carried out, is held back: zero unless asked for. */
    Duration drawRouteDelay(String method, String route) {
        var delay = routeDelays.get(method + " " + route);
        if (delay == null || delay.remaining().getAndDecrement() <= 0) {
            return Duration.ZERO;
        }
        return delay.delay();
    }

    /** Whether this request draws an injected 500: the certain ones first, then the random share. */
    synchronized boolean drawServerError() {
        if (faults.failNextRequests() > 0) {
            faults = faults.withFailNextRequests(faults.failNextRequests() - 1);
            return true;
        }
        return faults.serverErrorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.serverErrorRate();
    }
}
