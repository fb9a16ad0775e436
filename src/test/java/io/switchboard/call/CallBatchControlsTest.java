package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Pause, resume, progress and the list of batches ({@code /v1/calls/batches}). */
@QuarkusTest
class CallBatchControlsTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    record Setup(Connected c, String agentId) {
    }

    @Test
    void aPausedBatchPlacesNothingUntilItIsResumed() throws InterruptedException {
        var s = setup();
        String batchId = create(s, targets(4));
        Await.until(Duration.ofSeconds(10), () -> creates(s) >= 1, "the first call placed");

        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/pause")
                .then().statusCode(200)
                .body("id", equalTo(batchId))
                .body("status", equalTo("paused"))
                .body("pausedAt", notNullValue())
                .body("estimatedSecondsLeft", nullValue());
        // A call claimed just before the pause may still go out; after that, nothing.
        Thread.sleep(1_500);
        int placedBeforeResume = creates(s);
        Thread.sleep(2_000);
        assertThat(creates(s)).isEqualTo(placedBeforeResume).isLessThan(4);
        // Pausing again changes nothing.
        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/pause")
                .then().statusCode(200).body("status", equalTo("paused"));
        Api.as(s.c().org()).get("/v1/calls/batches/" + batchId)
                .then().statusCode(200)
                .body("status", equalTo("paused"))
                .body("unsent", equalTo(4 - placedBeforeResume))
                .body("counts.queued", equalTo(4 - placedBeforeResume));

        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/resume")
                .then().statusCode(200)
                .body("status", equalTo("running"))
                .body("pausedAt", nullValue())
                .body("estimatedSecondsLeft", notNullValue());
        Await.until(Duration.ofSeconds(20), () -> statuses(s, batchId).stream().allMatch("completed"::equals),
                "every call of the resumed batch to complete");
        assertThat(creates(s)).isEqualTo(4);
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(s.c().account().accountSid()))
                .extracting(c -> c.to()).doesNotHaveDuplicates().hasSize(4);
    }

    /**
     * A call of a paused batch that comes due anyway (a back-off that ran out during the pause) is held by the claim
     * itself, not only by being parked.
     */
    @Test
    void aCallOfAPausedBatchThatComesDueIsNotClaimed() throws InterruptedException {
        var s = setup();
        String batchId = create(s, targets(3));
        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/pause").then().statusCode(200);
        Thread.sleep(1_200);
        int placed = creates(s);
        pool.preparedQuery("update call set next_attempt_at = now() where batch_id = $1 and dispatch_state = 'waiting'")
                .execute(Tuple.of(UUID.fromString(batchId))).await().atMost(Duration.ofSeconds(5));
        Thread.sleep(2_500);
        assertThat(creates(s)).isEqualTo(placed);
        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/cancel").then().statusCode(200);
    }

    @Test
    void theProgressOfABatchCountsItsCallsByStatusAndEstimatesTheTimeLeft() {
        var s = setup();
        String batchId = create(s, targets(2));
        Api.as(s.c().org()).get("/v1/calls/batches/" + batchId)
                .then().statusCode(200)
                .body("id", equalTo(batchId))
                .body("agentId", equalTo(s.agentId()))
                .body("size", equalTo(2))
                .body("status", equalTo("running"))
                .body("pace.allowedPerSecond", equalTo(1.0f))
                .body("estimatedSecondsLeft", notNullValue())
                .body("createdAt", notNullValue());
        Await.until(Duration.ofSeconds(20), () -> statuses(s, batchId).stream().allMatch("completed"::equals),
                "every call to complete");
        var view = Api.as(s.c().org()).get("/v1/calls/batches/" + batchId)
                .then().statusCode(200)
                .body("status", equalTo("finished"))
                .body("counts", equalTo(Map.of("completed", 2)))
                .body("unsent", equalTo(0))
                .body("estimatedSecondsLeft", equalTo(0))
                .extract().jsonPath();
        // Both were sent within the last minute, at about one per second.
        assertThat(view.getDouble("pace.recentPerSecond")).isGreaterThan(0).isLessThanOrEqualTo(2.0);
    }

    /** The allowed pace shown is the account's own, set on its provider, not the configured default. */
    @Test
    void theProgressShowsThePaceTheProvidersAccountAllows() {
        var s = setup();
        Api.as(s.c().org()).body(Map.of("callsPerSecond", 5)).patch("/v1/providers/" + s.c().providerId())
                .then().statusCode(200);
        String batchId = create(s, targets(2));
        Api.as(s.c().org()).get("/v1/calls/batches/" + batchId)
                .then().statusCode(200)
                .body("pace.allowedPerSecond", equalTo(5.0f));
        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/cancel").then().statusCode(200);
    }

    @Test
    void aCanceledOrFinishedBatchCannotBePausedOrResumed() {
        var s = setup();
        String canceled = create(s, targets(3));
        Api.as(s.c().org()).post("/v1/calls/batches/" + canceled + "/cancel").then().statusCode(200);
        Api.as(s.c().org()).post("/v1/calls/batches/" + canceled + "/pause")
                .then().statusCode(409).body("error", equalTo("batch_canceled"));
        Api.as(s.c().org()).post("/v1/calls/batches/" + canceled + "/resume")
                .then().statusCode(409).body("error", equalTo("batch_canceled"));
        Api.as(s.c().org()).get("/v1/calls/batches/" + canceled)
                .then().statusCode(200).body("status", equalTo("canceled")).body("canceledAt", notNullValue());

        String finished = create(s, targets(1));
        Await.until(Duration.ofSeconds(10), () -> sids(s, finished).get(0) != null, "the call placed");
        Api.as(s.c().org()).post("/v1/calls/batches/" + finished + "/pause")
                .then().statusCode(409).body("error", equalTo("batch_finished"));
        Api.as(s.c().org()).post("/v1/calls/batches/" + finished + "/resume")
                .then().statusCode(409).body("error", equalTo("batch_finished"));
    }

    @Test
    void batchesAreListedPageByPageForTheirOrganizationOnly() {
        var s = setup();
        var ids = IntStream.range(0, 3).mapToObj(i -> create(s, targets(1))).toList();
        var first = Api.as(s.c().org()).get("/v1/calls/batches?limit=2")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.id", equalTo(ids.subList(0, 2)))
                .body("items[0].size", equalTo(1))
                .body("nextCursor", notNullValue())
                .extract().jsonPath();
        Api.as(s.c().org()).get("/v1/calls/batches?limit=2&cursor=" + first.getString("nextCursor"))
                .then().statusCode(200)
                .body("items.id", equalTo(ids.subList(2, 3)))
                .body("nextCursor", nullValue());

        var other = Connected.create(simulator, 1);
        Api.as(other.org()).get("/v1/calls/batches").then().statusCode(200).body("items", hasSize(0));
        for (String path : List.of("", "/pause", "/resume")) {
            var request = Api.as(other.org());
            (path.isEmpty() ? request.get("/v1/calls/batches/" + ids.get(0))
                    : request.post("/v1/calls/batches/" + ids.get(0) + path))
                    .then().statusCode(404).body("error", equalTo("not_found"));
        }
        Api.as(s.c().org()).post("/v1/calls/batches/" + UUID.randomUUID() + "/pause").then().statusCode(404);
        Api.as(s.c().org()).get("/v1/calls/batches/" + UUID.randomUUID()).then().statusCode(404);

        Api.as(s.c().org()).get("/v1/calls/batches?limit=0")
                .then().statusCode(400).body("details.field", hasItems("limit"));
        Api.as(s.c().org()).get("/v1/calls/batches?cursor=nope")
                .then().statusCode(400).body("details.field", hasItems("cursor"));
        ids.forEach(id -> Api.as(s.c().org()).post("/v1/calls/batches/" + id + "/cancel"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Setup setup() {
        var c = Connected.create(simulator, 2);
        String agentId = c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        return new Setup(c, agentId);
    }

    private static List<String> targets(int n) {
        return IntStream.range(0, n).mapToObj(i -> SimAccount.randomNumber()).toList();
    }

    private static String create(Setup s, List<String> targets) {
        return Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", targets))
                .post("/v1/calls")
                .then().statusCode(202).extract().path("batchId");
    }

    private int creates(Setup s) {
        String account = s.c().account().accountSid();
        return (int) simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && account.equals(r.accountSid()))
                .count();
    }

    private static List<String> statuses(Setup s, String batchId) {
        return Api.as(s.c().org()).get("/v1/calls?batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.status");
    }

    private static List<String> sids(Setup s, String batchId) {
        return Api.as(s.c().org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.sid");
    }
}
