package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.switchboard.webhook.WebhookKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A batch placed at the pace the provider's account allows, against a simulator that enforces that CPS as Twilio
 * does (over it, a call is queued and counted over the limit).
 */
@QuarkusTest
class OutboundCallPaceTest {

    private static final int CPS = 10;
    private static final int CALLS = 40;
    /** Listed in the test profile's switchboard.outbound.pace-metric-accounts. */
    private static final String WATCHED_ACCOUNT = "AC00000000000000000000000000009ace";
    private static final String WATCHED_TOKEN = "9ace9ace9ace9ace9ace9ace9ace9ace";

    @Inject
    MeterRegistry registry;

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    private Connected c;

    @AfterEach
    void noLimit() {
        if (c != null) {
            simulator.setCallsPerSecond(c.account().accountSid(), 0);
        }
    }

    @Test
    void aBatchRunsAtTheProvidersPaceNeverOverTheAccountsLimitAndCallsNoOneTwice() {
        c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        simulator.setCallsPerSecond(c.account().accountSid(), CPS);
        Api.as(c.org()).body(Map.of("callsPerSecond", CPS)).patch("/v1/providers/" + c.providerId()).then()
                .statusCode(200);
        List<String> targets = IntStream.range(0, CALLS).mapToObj(i -> SimAccount.randomNumber()).toList();

        String batchId = Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", targets))
                .post("/v1/calls").then().statusCode(202).extract().path("batchId");
        Await.until(Duration.ofSeconds(30), () -> placed(batchId) == CALLS, "every call to be placed");

        List<SimulatedCall> calls = simulator.calls().stream()
                .filter(call -> call.accountSid().equals(c.account().accountSid())).toList();
        assertThat(calls).extracting(SimulatedCall::to).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(targets);
        // Where a call reached the simulator later than its slot and so crowded the next second, Twilio queued the
        // crowding call only until capacity freed. Tolerance: this JVM runs the simulator and every call's callbacks
        // on the same 2 shared cores, so a create can arrive some 100 ms off its slot; a batch sent without the pace
        // would queue its last calls for seconds.
        assertThat(calls).as("how long Twilio queued calls over the limit")
                .allSatisfy(call -> assertThat(call.queuedMillis()).isLessThan(500));

        // The pace from the dispatcher's own slots (attempted_at is the slot a call was sent at), not from how long
        // the test took: at least 95% of 10 a second (the margin keeps 3%), at most 10 in any second.
        List<OffsetDateTime> slots = slots(batchId);
        assertThat(slots).hasSize(CALLS);
        for (int i = CPS; i < slots.size(); i++) {
            assertThat(Duration.between(slots.get(i - CPS), slots.get(i)))
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        double seconds = Duration.between(slots.get(0), slots.get(CALLS - 1)).toNanos() / 1e9;
        assertThat((CALLS - 1) / seconds).as("achieved pace").isGreaterThanOrEqualTo(0.95 * CPS);
    }

    /**
     * The pace metrics of an account listed in {@code switchboard.outbound.pace-metric-accounts} (the test profile
     * lists {@link #WATCHED_ACCOUNT}): every call placed is one interval of pace used, and the pace allowed is what the
     * account's calls per second gave while its calls were due, so used over allowed is at most 1 - pace-margin.
     */
    @Test
    void thePaceUsedAndAllowedOfAListedAccountAreCountedUnderItsOwnSid() {
        double usedBefore = paceCounter("used", WATCHED_ACCOUNT);
        double allowedBefore = paceCounter("allowed", WATCHED_ACCOUNT);
        double otherUsedBefore = paceCounter("used", "other");
        simulator.createAccount(WATCHED_ACCOUNT, WATCHED_TOKEN);
        String number = SimAccount.randomNumber();
        simulator.addNumber(WATCHED_ACCOUNT, number);
        var account = new SimAccount(WATCHED_ACCOUNT, WATCHED_TOKEN, List.of(number));
        var org = Api.newOrganization();
        String providerId = Api.as(org).body(account.providerRequest("Watched")).post("/v1/providers").then()
                .statusCode(201).extract().path("id");
        var keys = Arc.container().instance(WebhookKeys.class).get();
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId)),
                "the service to know the account's signing keys");
        c = new Connected(org, account, providerId);
        String agentId = c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Api.as(org).body(Map.of("callsPerSecond", CPS)).patch("/v1/providers/" + providerId).then().statusCode(200);
        List<String> targets = IntStream.range(0, 8).mapToObj(i -> SimAccount.randomNumber()).toList();

        long submitted = System.nanoTime();
        String batchId = Api.as(org).body(Map.of("agentId", agentId, "targetNumbers", targets)).post("/v1/calls")
                .then().statusCode(202).extract().path("batchId");
        Await.until(Duration.ofSeconds(30), () -> placed(batchId) == targets.size(), "every call to be placed");
        double seconds = (System.nanoTime() - submitted) / 1e9;

        double used = paceCounter("used", WATCHED_ACCOUNT) - usedBefore;
        double allowed = paceCounter("allowed", WATCHED_ACCOUNT) - allowedBefore;
        assertThat(used).as("pace used: one interval per call placed").isEqualTo(targets.size());
        // At least the slots the calls took (8 at 10 a second less the 3% margin: 8.25 intervals); at most the pace
        // over the time the batch was due, and the claim-ahead (1 s) a claim counts before its slots come. A slot
        // given up by a late timer on a busy machine is allowed and not used, so the upper bound is the wall time's.
        assertThat(allowed).as("pace allowed").isBetween(targets.size() / 0.97 - 0.01, CPS * (seconds + 1));
        assertThat(paceCounter("used", "other") - otherUsedBefore).as("the listed account's calls counted apart")
                .isLessThan(1);
    }

    private double paceCounter(String which, String account) {
        return registry.get("switchboard.dispatch.pace." + which).tag("kind", "call").tag("account", account)
                .counter().count();
    }

    private long placed(String batchId) {
        return pool.preparedQuery("select count(*) as n from call where batch_id = $1 and sid is not null")
                .execute(Tuple.of(UUID.fromString(batchId))).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    private List<OffsetDateTime> slots(String batchId) {
        var slots = new ArrayList<OffsetDateTime>();
        pool.preparedQuery("select attempted_at from call where batch_id = $1 order by attempted_at")
                .execute(Tuple.of(UUID.fromString(batchId))).await().atMost(Duration.ofSeconds(10))
                .forEach(row -> slots.add(row.getOffsetDateTime("attempted_at")));
        return slots;
    }
}
