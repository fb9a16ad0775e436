package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Await;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An account's calls per second as Twilio enforces them: calls created faster are queued and executed as capacity
 * frees, never refused, and the simulator records which arrived over the limit.
 */
@QuarkusTest
class SimulatorCallsPerSecondTest {

    private static final long SECOND_NANOS = 1_000_000_000L;

    @Inject
    TwilioSimulator simulator;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    @BeforeEach
    void reset() {
        simulator.reset();
    }

    @AfterEach
    void noLimit() {
        simulator.setCallsPerSecond(ACCOUNT, 0);
    }

    @Test
    void callsOverTheLimitAreQueuedNotRefusedAndExecutedAtTheLimit() {
        simulator.setCallsPerSecond(ACCOUNT, 2);
        for (int i = 0; i < 5; i++) {
            // Every create is accepted, as queued, however fast they come.
            createCall().then().statusCode(201).body("status", equalTo("queued"));
        }

        List<SimulatedCall> calls = simulator.calls();
        assertThat(calls).hasSize(5);
        // Five local creates take far less than a second: the first two are executed at once, the others queued.
        assertThat(Duration.between(calls.get(0).createdAt(), calls.get(4).createdAt())).isLessThan(
                Duration.ofSeconds(1));
        assertThat(calls).extracting(SimulatedCall::overLimit).containsExactly(false, false, true, true, true);
        assertThat(calls.get(0).queuedMillis()).isZero();
        for (int i = 0; i < calls.size(); i++) {
            SimulatedCall call = calls.get(i);
            assertThat(call.overLimit()).isEqualTo(call.queuedMillis() > 0);
            if (i >= 2) {
                // Never more than 2 executions in one second: each waits for the one two places before it.
                assertThat(executedAt(call) - executedAt(calls.get(i - 2)))
                        .as("call %d after call %d", i, i - 2).isGreaterThanOrEqualTo(SECOND_NANOS - 2_000_000);
            }
        }
        // The last one waits in Twilio's queue, still queued, then goes on like any call.
        String last = calls.get(4).sid();
        assertThat(simulator.call(last).orElseThrow().status()).isEqualTo("queued");
        Await.until(Duration.ofSeconds(10), () -> !"queued".equals(simulator.call(last).orElseThrow().status()),
                "the queued call to be executed");
    }

    @Test
    void callsWithinTheLimitAndAnAccountWithoutOneAreNeverOverIt() {
        createCall().then().statusCode(201);
        createCall().then().statusCode(201);
        createCall().then().statusCode(201);
        assertThat(simulator.calls()).extracting(SimulatedCall::overLimit).containsOnly(false);

        simulator.reset();
        simulator.setCallsPerSecond(ACCOUNT, 100);
        for (int i = 0; i < 10; i++) {
            createCall().then().statusCode(201);
        }
        assertThat(simulator.calls()).extracting(SimulatedCall::queuedMillis).containsOnly(0L);
    }

    /**
     * Twilio counts a create when it arrives, not when its answer is ready: a create the simulator is slow to handle
     * (here a latency fault of 600 ms, as a busy simulator's would be) is recorded and counted from its arrival.
     */
    @Test
    void aCreateCountsFromItsArrivalNotFromWhenItWasHandled() {
        simulator.delayAccount(ACCOUNT, Duration.ofMillis(600));
        try {
            Instant sent = Instant.now();
            createCall().then().statusCode(201);
            Instant answered = Instant.now();
            assertThat(simulator.calls()).singleElement().satisfies(call -> {
                assertThat(call.createdAt()).as("the create's arrival").isAfterOrEqualTo(sent);
                // Stamped when it was handled, the create would show as arriving after the delay, just before the
                // answer; however slow the machine, its arrival comes before the delay.
                assertThat(Duration.between(call.createdAt(), answered)).as("from the arrival to the answer")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(600));
            });
        } finally {
            simulator.clearScopedFaults();
        }
    }

    @Test
    void theLimitIsSetOverTheAdminApi() {
        given().contentType("application/json").body("{\"callsPerSecond\": 1}")
                .put("/sim/admin/accounts/" + ACCOUNT + "/calls-per-second").then().statusCode(200)
                .body("callsPerSecond", equalTo(1));
        createCall().then().statusCode(201);
        createCall().then().statusCode(201);
        given().get("/sim/admin/calls").then().statusCode(200)
                .body("overLimit", equalTo(List.of(false, true)));
    }

    private static long executedAt(SimulatedCall call) {
        Instant at = call.createdAt().plusMillis(call.queuedMillis());
        return at.getEpochSecond() * SECOND_NANOS + at.getNano();
    }

    private io.restassured.response.Response createCall() {
        return asAccount().formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").post(API + "/Calls.json");
    }
}
