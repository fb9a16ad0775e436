package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code batch.finished}: once a batch's last call has ended and no retry is owed, recorded once, even when its last
 * two calls end in concurrent transactions.
 */
@QuarkusTest
class BatchFinishedTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The simulator's outcome number for a busy line (CallOutcomes). */
    private static final String BUSY = "+15005551001";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Vertx vertx;

    @Inject
    AgroalDataSource jdbc;

    Receiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Receiver(vertx);
    }

    @AfterEach
    void stopReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void aBatchIsFinishedOnceItsLastRetryHasEnded() {
        var c = connected();
        String agentId = agent(c);
        EventDeliveryTest.subscribe(c.org(), receiver.url(), List.of("batch.finished"));
        String batchId = Api.as(c.org()).body(Map.of("agentId", agentId,
                "targets",
                List.of(Map.of("to", "+1415555" + (1000 + (int) (Math.random() * 8999))), Map.of("to", BUSY)),
                "retry", Map.of("on", List.of("busy"), "maxAttempts", 2, "after", "PT1S")))
                .post("/v1/calls").then().statusCode(202).extract().path("batchId");

        Await.until(WAIT, () -> !finished(batchId).isEmpty(), "the batch's end to be delivered");
        var event = finished(batchId).get(0);
        // Two attempts at the busy line: the first one's outcome owed a retry, so only the second ended the batch.
        assertThat(event.getJsonObject("data").getJsonObject("counts").getMap()).containsEntry("busy", 2)
                .containsEntry("completed", 1);
        assertThat(event.getJsonObject("data").getBoolean("canceled")).isFalse();
        assertThat(Api.as(c.org()).get("/v1/calls/batches/" + batchId).then().statusCode(200).extract()
                .<String>path("status")).isEqualTo("finished");
        assertThat(finished(batchId)).hasSize(1);
    }

    @Test
    void theLastTwoCallsEndingTogetherFinishTheBatchOnce() throws Exception {
        var c = connected();
        String agentId = agent(c);
        EventDeliveryTest.subscribe(c.org(), receiver.url(), List.of("batch.finished"));
        // A calling window on another day of the week keeps both calls queued, so that this test ends them.
        DayOfWeek other = ZonedDateTime.now(ZoneId.of("America/Los_Angeles")).getDayOfWeek().plus(3);
        String batchId = Api.as(c.org()).body(Map.of("agentId", agentId,
                "targetNumbers", List.of("+14155551234", "+14155555678"),
                "callingWindow", Map.of("start", "00:00", "end", "24:00",
                        "days", List.of(other.name().substring(0, 3).toLowerCase(Locale.ROOT)))))
                .post("/v1/calls").then().statusCode(202).extract().path("batchId");

        UUID batch = UUID.fromString(batchId);
        try (Connection first = jdbc.getConnection(); Connection second = jdbc.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            end(first, batch, "+14155551234");
            // The second waits for the first's lock on the batch, and sees its call ended once it commits.
            var ended = CompletableFuture.runAsync(() -> end(second, batch, "+14155555678"));
            Thread.sleep(300);
            assertThat(ended).as("the second waits for the first").isNotDone();
            first.commit();
            ended.get(10, TimeUnit.SECONDS);
            second.commit();
        }
        Await.until(WAIT, () -> !finished(batchId).isEmpty(), "the batch's end to be delivered");
        Thread.sleep(500);
        assertThat(finished(batchId)).hasSize(1);
        assertThat(finished(batchId).get(0).getJsonObject("data").getJsonObject("counts").getMap())
                .containsEntry("completed", 2);
    }

    private static void end(Connection connection, UUID batch, String to) {
        try (var update = connection.prepareStatement(
                "update call set status = 'completed', updated_at = now() where batch_id = ? and to_number = ?")) {
            update.setObject(1, batch);
            update.setString(2, to);
            assertThat(update.executeUpdate()).isEqualTo(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private Connected connected() {
        return Connected.create(simulator, 1);
    }

    private String agent(Connected c) {
        String agentId = c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(WAIT, () -> routing.find(c.number(0)).isPresent(), "the number to be routed");
        return agentId;
    }

    private List<io.vertx.core.json.JsonObject> finished(String batchId) {
        return receiver.delivered().stream().map(Receiver.Received::json)
                .filter(e -> "batch.finished".equals(e.getString("type")) && batchId.equals(e.getString("resourceId")))
                .toList();
    }
}
