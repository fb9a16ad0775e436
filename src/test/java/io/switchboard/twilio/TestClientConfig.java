package io.switchboard.twilio;

import java.time.Duration;

/** {@link TwilioConfig.Client} for tests that build the client without Quarkus. */
record TestClientConfig(Duration requestTimeout, Duration connectTimeout, int maxPoolSize, int maxRequestsPerAccount,
        TwilioConfig.Breaker breaker) implements TwilioConfig.Client {

    /** A breaker that opens on 4 failures in a row, for 2 s. */
    record TestBreaker(int requestVolumeThreshold, double failureRatio, Duration delay, int successThreshold)
            implements TwilioConfig.Breaker {
    }

    static final TestClientConfig DEFAULT = new TestClientConfig(Duration.ofSeconds(5), Duration.ofSeconds(2), 4);

    TestClientConfig(Duration requestTimeout, Duration connectTimeout, int maxPoolSize) {
        this(requestTimeout, connectTimeout, maxPoolSize, maxPoolSize,
                new TestBreaker(4, 1.0, Duration.ofSeconds(2), 1));
    }
}
