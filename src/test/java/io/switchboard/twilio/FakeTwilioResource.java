package io.switchboard.twilio;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

/**
 * Starts a {@link FakeTwilio} before Quarkus boots and points the client at it; the lookups product points at a
 * closed port, to meet a refused connection through the whole fault-tolerance stack.
 */
public class FakeTwilioResource implements QuarkusTestResourceLifecycleManager {

    private FakeTwilio twilio;

    @Override
    public Map<String, String> start() {
        twilio = FakeTwilio.start();
        return Map.of(
                "switchboard.twilio.endpoints.api", twilio.baseUrl("api"),
                "switchboard.twilio.endpoints.trunking", twilio.baseUrl("trunking"),
                "switchboard.twilio.endpoints.lookups", "http://localhost:" + closedPort() + "/lookups",
                // Short, so the timeout test waits little; only this test class boots with it.
                "switchboard.twilio.client.request-timeout", "300ms");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(twilio, new TestInjector.MatchesType(FakeTwilio.class));
    }

    @Override
    public void stop() {
        if (twilio != null) {
            twilio.close();
        }
    }

    private static int closedPort() {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
