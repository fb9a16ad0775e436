package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client against the simulator, counting what reaches "Twilio": what was never processed is retried, a create
 * whose outcome is unknown is never sent twice.
 */
@QuarkusTest
class TwilioClientSimulatorTest {

    private static final String CALLS = "/2010-04-01/Accounts/{AccountSid}/Calls.json";
    private static final String CALL = "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json";
    private static final String CALLEE = "+15105550123";

    @Inject
    TwilioClient twilio;

    @Inject
    TwilioSimulator simulator;

    @Inject
    WebhookUrls urls;

    private SimAccount account;
    private TwilioCredentials creds;

    @BeforeEach
    void account() {
        account = SimAccount.create(simulator, 1);
        creds = TwilioCredentials.withAuthToken(account.accountSid(), account.authToken(), TwilioRegion.US1);
    }

    @AfterEach
    void noFaults() {
        simulator.setFaults(Faults.NONE);
    }

    @Test
    void aCreateTwilioNeverProcessedIsRetriedOnce() {
        simulator.failRoute("POST", CALLS, 429, 20429, 1);
        var call = twilio.createCall(creds, request()).await().atMost(Duration.ofSeconds(10));

        assertThat(call.sid()).startsWith("CA");
        assertThat(posts(CALLS)).isEqualTo(2);
        assertThat(callsOf(account)).isEqualTo(1);
    }

    @Test
    void aServerErrorOnACreateIsAmbiguousAndNeverResent() {
        simulator.failRoute("POST", CALLS, 500, 20500, 1);
        assertThatThrownBy(() -> twilio.createCall(creds, request()).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TwilioException.class, e -> assertThat(e.isAmbiguous()).isTrue());
        assertThat(posts(CALLS)).isEqualTo(1);
    }

    @Test
    void aCreateWhoseAnswerIsLostIsAmbiguousYetTheCallExistsOnce() {
        // The answer comes after the client's request timeout (2 s in tests): the call was placed all the same.
        simulator.setFaults(Faults.NONE.withCreateResponseDelay(Duration.ofSeconds(4)));
        assertThatThrownBy(() -> twilio.createCall(creds, request()).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TwilioException.class, e -> assertThat(e.isAmbiguous()).isTrue());
        assertThat(posts(CALLS)).isEqualTo(1);
        assertThat(callsOf(account)).isEqualTo(1);
    }

    @Test
    void aReadThatMeetsServerErrorsIsRetried() {
        var call = twilio.createCall(creds, request()).await().atMost(Duration.ofSeconds(10));
        simulator.failRoute("GET", CALL, 503, 20503, 2);

        var fetched = twilio.fetchCall(creds, call.sid()).await().atMost(Duration.ofSeconds(10));

        assertThat(fetched.sid()).isEqualTo(call.sid());
        assertThat(requests("GET", CALL)).isEqualTo(3);
    }

    @Test
    void aFinishedCallIsFetchedWithItsStatusTimesAndDurationAndAnUnknownOneIsNotFound() throws Exception {
        var call = twilio.createCall(creds, request()).await().atMost(Duration.ofSeconds(10));
        var finished = simulator.callFinished(call.sid()).toCompletableFuture().get(10, TimeUnit.SECONDS);

        var fetched = twilio.fetchCall(creds, call.sid()).await().atMost(Duration.ofSeconds(10));

        assertThat(fetched.status()).isEqualTo(finished.status()).isEqualTo("completed");
        assertThat(fetched.durationSeconds()).isEqualTo(finished.durationSeconds());
        assertThat(fetched.startTime()).isNotNull();
        assertThat(fetched.endTime()).isNotNull().isAfterOrEqualTo(fetched.startTime());
        assertThat(requests("GET", CALL)).isEqualTo(1);
        assertThatThrownBy(() -> twilio.fetchCall(creds, "CA" + SimAccount.hex(16)).await()
                .atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TwilioException.class, e -> assertThat(e.isNotFound()).isTrue());
        assertThat(requests("GET", CALL)).as("a 404 is not retried").isEqualTo(2);
    }

    @Test
    void refusedCredentialsAreAnAuthenticationFailureAndNotRetried() {
        var wrong = TwilioCredentials.withAuthToken(account.accountSid(), SimAccount.hex(16), TwilioRegion.US1);
        assertThatThrownBy(() -> twilio.verifyCredentials(wrong).await().atMost(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(TwilioException.class, e -> {
                    assertThat(e.isAuthenticationFailure()).isTrue();
                    assertThat(e.getMessage()).doesNotContain(wrong.authToken());
                });
        assertThat(requests("GET", "/2010-04-01/Accounts/{AccountSid}.json")).isEqualTo(1);
    }

    private CallRequest request() {
        return CallRequest.of(CALLEE, account.numbers().get(0),
                urls.voiceOutbound("00000000-0000-0000-0000-000000000000"));
    }

    private long posts(String route) {
        return requests("POST", route);
    }

    /** Requests for this test's account to the route, whatever their answer (refused ones included). */
    private long requests(String method, String route) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals(method) && r.route().equals(route)
                        && r.path().contains(account.accountSid()))
                .count();
    }

    private long callsOf(SimAccount owner) {
        return simulator.calls().stream().filter(c -> c.accountSid().equals(owner.accountSid())).count();
    }
}
