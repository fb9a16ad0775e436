package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.reconcile.Stale;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Retries by outcome against the simulator's outcome numbers (+1 500 555 1xxx busy, 2xxx no answer, 3xxx failed):
 * each attempt its own call row, one cap per target, exactly one retry per ended attempt.
 */
@QuarkusTest
class CallRetryTest {

    private static final AtomicInteger NEXT = new AtomicInteger(100 + (int) (System.nanoTime() % 800));

    @Inject
    TwilioSimulator simulator;

    @Inject
    CallReconcileKind reconcile;

    @Inject
    Pool pool;

    @Test
    void aBusyTargetIsCalledAgainUntilMaxAttemptsAndAnAnsweredOneOnce() {
        var c = connected();
        String busy = outcome('1');
        String person = SimAccount.randomNumber();
        String batchId = create(c, List.of(busy, person), retry(List.of("busy"), 3, "PT0S"));

        Await.until(Duration.ofSeconds(20), () -> calls(c, batchId).getList("items").size() == 4
                && calls(c, batchId).getList("items.status").stream().allMatch(s -> !"queued".equals(s)
                        && !"initiated".equals(s) && !"ringing".equals(s) && !"in-progress".equals(s)),
                "three attempts at the busy target and one call to the other, all ended");
        var calls = calls(c, batchId);
        assertThat(calls.getList("items.findAll { it.to == '" + busy + "' }.attempt")).containsExactly(1, 2, 3);
        assertThat(calls.getList("items.findAll { it.to == '" + busy + "' }.status"))
                .containsExactly("busy", "busy", "busy");
        String firstId = calls.getString("items.find { it.to == '" + busy + "' && it.attempt == 1 }.id");
        assertThat(calls.getList("items.findAll { it.to == '" + busy + "' }.targetId")).containsOnly(firstId);
        assertThat(calls.getList("items.findAll { it.to == '" + person + "' }.attempt")).containsExactly(1);
        assertThat(creates(c, busy)).isEqualTo(3);
        assertThat(creates(c, person)).isEqualTo(1);
        Api.as(c.org()).get("/v1/calls/batches/" + batchId).then().statusCode(200)
                .body("status", equalTo("finished")).body("size", equalTo(2))
                .body("counts.busy", equalTo(3)).body("counts.completed", equalTo(1))
                .body("countsByAttempt.1", equalTo(Map.of("busy", 1, "completed", 1)))
                .body("countsByAttempt.2", equalTo(Map.of("busy", 1)))
                .body("countsByAttempt.3", equalTo(Map.of("busy", 1)))
                .body("retry.on", equalTo(List.of("busy"))).body("retry.maxAttempts", equalTo(3))
                .body("retry.after", equalTo("PT0S"));
    }

    @Test
    void oneCapAcrossOutcomesAndOnlyTheOutcomesListed() {
        var c = connected();
        String failed = outcome('3');
        String unanswered = outcome('2');
        String batchId = create(c, List.of(failed, unanswered), retry(List.of("failed", "busy"), 2, "PT0S"));
        Await.until(Duration.ofSeconds(20), () -> creates(c, failed) == 2 && ended(c, batchId) == 3,
                "the failed target called twice, the unanswered one once");
        // Nothing more comes: the cap is reached, no-answer is not retried.
        sleep(1_500);
        assertThat(creates(c, failed)).isEqualTo(2);
        assertThat(creates(c, unanswered)).isEqualTo(1);
        assertThat(calls(c, batchId).getList("items.status")).containsExactlyInAnyOrder("failed", "failed",
                "no-answer");
    }

    @Test
    void aFinalCallbackDeliveredTwiceAtOnceSchedulesOneRetry() throws Exception {
        var c = connected();
        String busy = outcome('1');
        String batchId = create(c, List.of(busy), retry(List.of("busy"), 3, "PT1H"));
        Await.until(Duration.ofSeconds(10), () -> calls(c, batchId).getList("items").size() == 2,
                "the first attempt ended busy and the second scheduled");
        var finalCallback = finalCallback(c);
        // Twilio redelivers, and two replicas may take the copies at the same moment.
        var first = CompletableFuture.supplyAsync(() -> SignedWebhook
                .postSignedFor(finalCallback.url(), finalCallback.params(), c.account().authToken()).statusCode());
        var second = CompletableFuture.supplyAsync(() -> SignedWebhook
                .postSignedFor(finalCallback.url(), finalCallback.params(), c.account().authToken()).statusCode());
        assertThat(List.of(first.get(), second.get())).containsExactly(204, 204);
        SignedWebhook.postSignedFor(finalCallback.url(), finalCallback.params(), c.account().authToken()).then()
                .statusCode(204);

        var calls = calls(c, batchId);
        assertThat(calls.getList("items.attempt")).containsExactly(1, 2);
        assertThat(calls.getList("items.status")).containsExactly("busy", "queued");
        Api.as(c.org()).get("/v1/calls/batches/" + batchId).then().statusCode(200)
                .body("status", equalTo("running")).body("unsent", equalTo(1))
                .body("countsByAttempt.2", equalTo(Map.of("queued", 1)));
        // The waiting retry is canceled with its batch.
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/cancel").then().statusCode(200)
                .body("canceled", equalTo(1));
        assertThat(creates(c, busy)).isEqualTo(1);
    }

    @Test
    void aCallWhoseEndOnlyReconciliationLearnedIsRetriedToo() {
        var c = connected();
        String busy = outcome('1');
        String batchId = create(c, List.of(busy), retry(List.of("busy"), 2, "PT1H"));
        Await.until(Duration.ofSeconds(10), () -> calls(c, batchId).getList("items").size() == 2,
                "the first attempt ended busy and the second scheduled");
        var first = calls(c, batchId);
        UUID id = UUID.fromString(first.getString("items[0].id"));
        String sid = first.getString("items[0].sid");
        // As if the final callback had never come: the row still ringing, no retry yet.
        pool.preparedQuery("delete from call where target_id = $1 and attempt = 2").execute(Tuple.of(id))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("update call set status = 'ringing', ended_at = null where id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5));

        var creds = TwilioCredentials.withAuthToken(c.account().accountSid(), c.account().authToken(),
                TwilioRegion.US1);
        assertThat(reconcile.reconcile(new Stale(id, sid, "ringing", c.account().accountSid()), creds)
                .await().atMost(Duration.ofSeconds(10))).isTrue();
        var after = calls(c, batchId);
        assertThat(after.getList("items.status")).containsExactly("busy", "queued");
        assertThat(after.getList("items.attempt")).containsExactly(1, 2);
    }

    @Test
    void anotherAccountsCallbackNamingTheCallSchedulesNothing() {
        var c = connected();
        var other = connected();
        other.importNumber(0, null);
        String person = SimAccount.randomNumber();
        String batchId = create(c, List.of(person), retry(List.of("busy"), 2, "PT0S"));
        Await.until(Duration.ofSeconds(10), () -> ended(c, batchId) == 1, "the call to complete");
        // Another connected account signs a busy ending from its own number, naming the call in the URL as the
        // service's own callback does.
        var callback = finalCallback(c);
        var forged = new HashMap<>(callback.params());
        forged.put("AccountSid", List.of(other.account().accountSid()));
        forged.put("CallStatus", List.of("busy"));
        forged.put("From", List.of(other.number(0)));
        forged.put("Caller", List.of(other.number(0)));
        SignedWebhook.postSignedFor(callback.url(), forged, other.account().authToken()).then().statusCode(204);
        sleep(500);
        assertThat(calls(c, batchId).getList("items.status")).containsExactly("completed");
        assertThat(creates(c, person)).isEqualTo(1);
        // And another organization sees neither the batch nor its calls.
        Api.as(other.org()).get("/v1/calls/batches/" + batchId).then().statusCode(404);
        Api.as(other.org()).get("/v1/calls?batchId=" + batchId).then().statusCode(200)
                .body("items.size()", equalTo(0));
    }

    @Test
    void aCanceledBatchSchedulesNoRetryAndAPausedOnesRetryWaits() {
        Timing timing = simulator.timing();
        simulator.setTiming(new Timing(Duration.ofMillis(400), timing.talkTime()));
        try {
            var c = connected();
            String canceledTarget = outcome('1');
            String canceled = create(c, List.of(canceledTarget), retry(List.of("busy"), 3, "PT0S"));
            Await.until(Duration.ofSeconds(10), () -> creates(c, canceledTarget) == 1, "the call placed");
            Api.as(c.org()).post("/v1/calls/batches/" + canceled + "/cancel").then().statusCode(200);
            Await.until(Duration.ofSeconds(10), () -> ended(c, canceled) == 1, "the placed call to end busy");

            var p = connected();
            String pausedTarget = outcome('1');
            // A second target keeps the batch unfinished, so it can be paused once the first call is placed.
            String paused = create(p, List.of(pausedTarget, SimAccount.randomNumber()),
                    retry(List.of("busy"), 3, "PT0S"));
            Await.until(Duration.ofSeconds(10), () -> creates(p, pausedTarget) == 1, "the call placed");
            Api.as(p.org()).post("/v1/calls/batches/" + paused + "/pause").then().statusCode(200);
            Await.until(Duration.ofSeconds(10), () -> calls(p, paused).getList("items.attempt").contains(2),
                    "the retry scheduled while paused");
            sleep(1_500);
            assertThat(creates(p, pausedTarget)).isEqualTo(1);
            Api.as(p.org()).get("/v1/calls/batches/" + paused).then().statusCode(200)
                    .body("status", equalTo("paused")).body("countsByAttempt.2", equalTo(Map.of("queued", 1)));
            Api.as(p.org()).post("/v1/calls/batches/" + paused + "/resume").then().statusCode(200);
            Await.until(Duration.ofSeconds(10), () -> creates(p, pausedTarget) == 2, "the retry placed on resume");

            // The canceled batch's call ended busy long ago: still no second attempt.
            assertThat(calls(c, canceled).getList("items.attempt")).containsExactly(1);
            assertThat(creates(c, canceledTarget)).isEqualTo(1);
        } finally {
            simulator.setTiming(timing);
        }
    }

    @Test
    void aBadRetryIsA400NamingTheField() {
        var c = connected();
        String agentId = agent(c);
        var cases = List.of(
                Map.of("retry", Map.of("maxAttempts", 3, "after", "PT1M")), "retry.on",
                Map.of("retry", Map.of("on", List.of("voicemail"), "maxAttempts", 3, "after", "PT1M")), "retry.on[0]",
                Map.of("retry", Map.of("on", List.of("busy", "busy"), "maxAttempts", 3, "after", "PT1M")),
                "retry.on[1]",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 1, "after", "PT1M")), "retry.maxAttempts",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 11, "after", "PT1M")),
                "retry.maxAttempts",
                Map.of("retry", Map.of("on", List.of("busy"), "after", "PT1M")), "retry.maxAttempts",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 3, "after", "10 minutes")),
                "retry.after",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 3, "after", "P8D")), "retry.after",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 3, "after", "-PT1M")), "retry.after",
                Map.of("retry", Map.of("on", List.of("busy"), "maxAttempts", 3)), "retry.after");
        for (int i = 0; i < cases.size(); i += 2) {
            @SuppressWarnings("unchecked")
            var body = new HashMap<String, Object>((Map<String, Object>) cases.get(i));
            body.put("agentId", agentId);
            body.put("targetNumbers", List.of(SimAccount.randomNumber()));
            Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(400)
                    .body("details.field", hasItems(cases.get(i + 1)));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected connected() {
        return Connected.create(simulator, 1);
    }

    /** A fresh outcome number: +1 500 555, the outcome's digit, three free digits. */
    private static String outcome(char digit) {
        return "+1500555" + digit + String.format("%03d", NEXT.getAndIncrement() % 1000);
    }

    private static Map<String, Object> retry(List<String> on, int maxAttempts, String after) {
        return Map.of("on", on, "maxAttempts", maxAttempts, "after", after);
    }

    private static String agent(Connected c) {
        return c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    private static String create(Connected c, List<String> targets, Map<String, Object> retry) {
        String agentId = agent(c);
        c.importNumber(0, agentId);
        var body = Map.of("agentId", agentId, "targetNumbers", targets, "retry", retry);
        return Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(202).extract().path("batchId");
    }

    private static JsonPath calls(Connected c, String batchId) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200).extract()
                .jsonPath();
    }

    private static long ended(Connected c, String batchId) {
        return calls(c, batchId).getList("items.status", String.class).stream()
                .filter(CallStatuses::isTerminal).count();
    }

    private int creates(Connected c, String to) {
        return (int) simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && c.account().accountSid().equals(r.accountSid()) && r.status() == 201
                        && to.equals(r.params().get("To").get(0)))
                .count();
    }

    /** The final status callback the simulator sent for the account's first call. */
    private Recorded.Callback finalCallback(Connected c) {
        return simulator.callbacks().stream()
                .filter(cb -> cb.kind().equals("call-status")
                        && c.account().accountSid().equals(cb.params().get("AccountSid").get(0))
                        && CallStatuses.isTerminal(cb.params().get("CallStatus").get(0)))
                .findFirst().orElseThrow();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
