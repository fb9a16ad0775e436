package io.switchboard.twilio;

import static io.switchboard.twilio.FakeTwilio.ACCOUNT_SID;
import static io.switchboard.twilio.FakeTwilio.CALL_SID;
import static io.switchboard.twilio.FakeTwilio.MESSAGE_SID;
import static io.switchboard.twilio.FakeTwilio.TRUNK_SID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.FakeTwilio.Reply;
import io.switchboard.twilio.TwilioException.Kind;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client as other features get it, with its fault-tolerance interceptors, counting what reaches the fake Twilio.
 * Delays come from the {@code %test} fault-tolerance keys, so nothing sleeps through production backoff.
 */
@QuarkusTest
@WithTestResource(FakeTwilioResource.class)
class TwilioClientFaultToleranceTest {

    private static final TwilioCredentials CREDS = TwilioCredentials.withAuthToken(ACCOUNT_SID,
            "auth-token-0123456789abcdef0123456", TwilioRegion.US1);
    private static final CallRequest CALL = CallRequest.of("+14155550101", FakeTwilio.NUMBER,
            "https://sb.example.com/twilio/outbound");

    @Inject
    TwilioClient client;

    @Inject
    CircuitBreakerMaintenance breakers;

    FakeTwilio twilio;

    @BeforeEach
    void reset() {
        twilio.reset();
        breakers.resetAll();
    }

    @Test
    void aRateLimitedCreateIsRetriedOnceThenSucceeds() {
        twilio.enqueue(new Reply(429, Map.of("Retry-After", "1", "Content-Type", "application/json"),
                "{\"code\": 20429, \"message\": \"Too Many Requests\", \"status\": 429}"));
        var started = System.nanoTime();

        var call = await(client.createCall(CREDS, CALL));

        assertThat(call.sid()).isEqualTo(CALL_SID);
        assertThat(twilio.requests()).hasSize(2);
        // Retry-After is honoured only up to the backoff cap, which the test profile keeps small.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(900));
    }

    @Test
    void aServerErrorOnACreateIsAmbiguousAndNeverSentTwice() {
        twilio.always(request -> Reply.error(500, 20500, "Internal Server Error"));

        var failure = catchThrowable(() -> await(client.createCall(CREDS, CALL)));

        assertThat(failure).isInstanceOfSatisfying(TwilioException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS));
        assertThat(twilio.requests()).hasSize(1);
    }

    @Test
    void aTimedOutCreateIsAmbiguousAndNeverSentTwice() {
        twilio.always(request -> Reply.silence());

        var failure = catchThrowable(() -> await(client.createMessage(CREDS,
                MessageRequest.from("+14155550101", FakeTwilio.NUMBER, "Hello"))));

        assertThat(failure).isInstanceOfSatisfying(TwilioException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.AMBIGUOUS));
        assertThat(twilio.requests()).hasSize(1);
    }

    @Test
    void aServerErrorOnAReadIsRetried() {
        twilio.enqueue(Reply.error(503, 20503, "Service Unavailable"));

        var call = await(client.fetchCall(CREDS, CALL_SID));

        assertThat(call.sid()).isEqualTo(CALL_SID);
        assertThat(twilio.requests()).hasSize(2);
    }

    @Test
    void aRefusedConnectionIsRetryable() {
        var failure = catchThrowable(() -> await(client.lookup(CREDS, FakeTwilio.NUMBER)));

        assertThat(failure).isInstanceOfSatisfying(TwilioException.class,
                e -> assertThat(e.kind()).isEqualTo(Kind.RETRYABLE));
    }

    @Test
    void aPermanentErrorIsNotRetriedAndDoesNotOpenTheBreaker() {
        twilio.always(request -> Reply.error(404, 20404, "The requested resource was not found"));

        for (var i = 0; i < 10; i++) {
            var failure = catchThrowable(() -> await(client.fetchTrunk(CREDS, TRUNK_SID)));
            assertThat(failure).isInstanceOfSatisfying(TwilioException.class, e -> assertThat(e.isNotFound()).isTrue());
        }
        assertThat(twilio.requests()).hasSize(10);
    }

    @Test
    void theBreakerOpensOnRepeatedServerErrorsAndThenSendsNothing() {
        twilio.always(request -> Reply.error(503, 20503, "Service Unavailable"));

        Throwable failure = null;
        for (var i = 0; i < 10 && !(failure instanceof CircuitBreakerOpenException); i++) {
            failure = catchThrowable(() -> await(client.fetchMessage(CREDS, MESSAGE_SID)));
        }
        assertThat(failure).isInstanceOf(CircuitBreakerOpenException.class);
        var sent = twilio.requests().size();

        assertThat(catchThrowable(() -> await(client.fetchMessage(CREDS, MESSAGE_SID))))
                .isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(twilio.requests()).hasSize(sent);
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
