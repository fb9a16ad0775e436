package io.switchboard.simulator;

import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.twilio.TwilioSignature;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator delivers webhooks as Twilio does with the connection overrides of the URL's fragment: it retries what
 * the policy names, up to the count and within the total time, with the same idempotency token, signs the URL with
 * its fragment and never sends the fragment. Without overrides a 5xx is final.
 */
@QuarkusTest
class SimulatorRetriesTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    ReceivedWebhooks received;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    @BeforeEach
    void reset() {
        simulator.reset();
        received.clear();
    }

    @Test
    void a503IsRetriedWhenTheOverridesSaySoWithTheSameTokenAndWithoutTheFragment() throws Exception {
        String registered = hooks + "/unavailable/once/1#ct=1000&rt=2000&tt=10000&rc=2&rp=ct,rt,5xx";
        String sid = sendMessage(registered);

        var sent = received.named("unavailable/once");
        // "sent": 503, then retried and accepted; "delivered": accepted at once.
        assertThat(sent).extracting(r -> r.param("MessageStatus")).containsExactly("sent", "sent", "delivered");
        assertThat(sent.get(0).idempotencyToken()).isEqualTo(sent.get(1).idempotencyToken());
        assertThat(sent.get(2).idempotencyToken()).isNotEqualTo(sent.get(0).idempotencyToken());
        assertThat(sent).allSatisfy(r -> {
            assertThat(r.url()).isEqualTo(hooks + "/unavailable/once/1").doesNotContain("#");
            // Signed as registered, fragment included: not for the URL the request line carries.
            assertThat(TwilioSignature.isValid(r.signature(), registered, r.form(), List.of(TOKEN))).isTrue();
            assertThat(r.signedWith(TOKEN)).isFalse();
        });
        assertThat(simulator.callbacks(sid)).extracting(Recorded.Callback::status, Recorded.Callback::attempt,
                Recorded.Callback::url)
                .containsExactly(tuple(503, 1, registered),
                        tuple(204, 2, registered),
                        tuple(204, 1, registered));
    }

    @Test
    void withoutOverridesA503IsNotRetried() throws Exception {
        String sid = sendMessage(hooks + "/unavailable/bare/1");

        assertThat(received.named("unavailable/bare")).extracting(r -> r.param("MessageStatus"))
                .containsExactly("sent", "delivered");
        assertThat(simulator.callbacks(sid)).extracting(Recorded.Callback::status).containsExactly(503, 204);
        // Nor when the policy leaves 5xx out.
        received.clear();
        String sid2 = sendMessage(hooks + "/unavailable/policy/1#rc=5&rp=ct,rt");
        assertThat(simulator.callbacks(sid2)).extracting(Recorded.Callback::status).containsExactly(503, 204);
    }

    @Test
    void theRetriesStopAtTheCount() throws Exception {
        String sid = sendMessage(hooks + "/unavailable/always/100#rc=2&rp=5xx");

        // Each of the two deliveries: the first try and two retries, all answered 503.
        assertThat(simulator.callbacks(sid)).extracting(Recorded.Callback::attempt).containsExactly(1, 2, 3, 1, 2, 3);
        assertThat(simulator.callbacks(sid)).allMatch(c -> c.status() == 503);
        assertThat(received.named("unavailable/always")).hasSize(6);
    }

    @Test
    void aReadTimeoutIsRetriedWhenThePolicyNamesIt() throws Exception {
        String sid = sendMessage(hooks + "/slow/late/1/1500#rt=300&rc=1&rp=rt");

        var attempts = simulator.callbacks(sid);
        assertThat(attempts).extracting(Recorded.Callback::status, Recorded.Callback::attempt)
                .containsExactly(tuple(0, 1), tuple(204, 2),
                        tuple(204, 1));
        assertThat(attempts.get(0).idempotencyToken()).isEqualTo(attempts.get(1).idempotencyToken());
    }

    @Test
    void noTryStartsPastTheTotalTime() throws Exception {
        // Every try times out after 300 ms; 5 retries would be allowed, but the total time has room for two tries.
        String sid = sendMessage(hooks + "/slow/budget/100/1500#rt=300&tt=500&rc=5&rp=rt");

        var attempts = simulator.callbacks(sid);
        assertThat(attempts).extracting(Recorded.Callback::attempt).containsExactly(1, 2, 1, 2);
        assertThat(attempts).allMatch(c -> c.status() == 0);
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at())).isLessThan(Duration.ofMillis(1000));
    }

    @Test
    void anOverrideOutOfTwiliosRangeIsNotDelivered() throws Exception {
        String sid = sendMessage(hooks + "/unavailable/invalid/0#rc=6");

        assertThat(received.named("unavailable/invalid")).isEmpty();
        assertThat(simulator.callbacks(sid)).isEmpty();
        sendMessage(hooks + "/unavailable/policy-typo/0#rp=5XX");
        assertThat(received.named("unavailable/policy-typo")).isEmpty();
    }

    @Test
    void theOverridesAreReadWithTwiliosDefaults() {
        var none = ConnectionOverrides.of("https://x.example/a?b=1", Duration.ofSeconds(15));
        assertThat(none).isEqualTo(new ConnectionOverrides(Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(15), 1, Set.of("ct")));
        assertThat(none.retries(ConnectionOverrides.Failure.CONNECT)).isTrue();
        assertThat(none.retries(ConnectionOverrides.Failure.SERVER_ERROR)).isFalse();
        var all = ConnectionOverrides.of("https://x.example/a#ct=100&rt=15000&tt=100&rc=0&rp=all&e=dublin",
                Duration.ofSeconds(15));
        assertThat(all).isEqualTo(new ConnectionOverrides(Duration.ofMillis(100), Duration.ofSeconds(15),
                Duration.ofMillis(100), 0, Set.of("all")));
        assertThat(all.retries(ConnectionOverrides.Failure.CLIENT_ERROR)).isTrue();
    }

    /** A message whose status callbacks go to {@code statusCallback}; returns once both were delivered. */
    private String sendMessage(String statusCallback) throws Exception {
        String sid = asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER).formParam("Body", "hi")
                .formParam("StatusCallback", statusCallback)
                .post(API + "/Messages.json").then().statusCode(201).extract().path("sid");
        simulator.messageFinished(sid).toCompletableFuture().get(20, TimeUnit.SECONDS);
        return sid;
    }
}
