package io.switchboard.twilio;

import java.time.Duration;

/** {@link TwilioConfig.Client} for tests that build the client without Quarkus. */
record TestClientConfig(Duration requestTimeout, Duration connectTimeout, int maxPoolSize)
        implements TwilioConfig.Client {

    static final TestClientConfig DEFAULT = new TestClientConfig(Duration.ofSeconds(5), Duration.ofSeconds(2), 4);
}
