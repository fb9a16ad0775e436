package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deliveries to a local receiver: Standard Webhooks signatures checked with the specification's own Java library,
 * order per call under failures, retries with back-off, giving up and pausing, redelivery, rotation, organizations
 * kept apart, pruning.
 */
@QuarkusTest
class EventDeliveryTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    EventDelivery delivery;

    @Inject
    MeterRegistry metrics;

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
    void everyDeliveryIsSignedAsStandardWebhooksVerifiesAndCarriesTheEvent() throws Exception {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("*"));
        String eventId = ping(org, sub.id());

        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping to be delivered");
        var got = receiver.delivered().get(0);
        new Webhook(sub.secret()).verify(got.body(), got.headers());
        assertThat(got.header("webhook-id")).isEqualTo(eventId);
        assertThat(got.header("content-type")).isEqualTo("application/json");
        var body = got.json();
        assertThat(body.getString("id")).isEqualTo(eventId);
        assertThat(body.getString("type")).isEqualTo("ping");
        assertThat(body.getString("organizationId")).isEqualTo(org.id());
        assertThat(body.getJsonObject("data").getString("subscriptionId")).isEqualTo(sub.id());
        // A body changed in transit, or another secret, does not verify.
        assertThatThrownBy(() -> new Webhook(sub.secret()).verify(got.body().replace("ping", "pong"), got.headers()))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSignatures.newSecret()).verify(got.body(), got.headers()))
                .isInstanceOf(WebhookVerificationException.class);

        // Delivered again on request: the same id and body, signed again.
        Api.as(org).post("/v1/events/" + eventId + "/redeliver").then().statusCode(202)
                .body("deliveries", equalTo(1));
        Await.until(WAIT, () -> receiver.delivered().size() == 2, "the redelivery");
        var again = receiver.delivered().get(1);
        assertThat(again.header("webhook-id")).isEqualTo(eventId);
        assertThat(again.body()).isEqualTo(got.body());
        new Webhook(sub.secret()).verify(again.body(), again.headers());
    }

    @Test
    void duringARotationsOverlapBothSecretsSignThenOnlyTheNewOne() throws Exception {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("ping"));
        String newSecret = Api.as(org).post("/v1/event-subscriptions/" + sub.id() + "/rotate-secret")
                .then().statusCode(200).extract().path("secret");
        ping(org, sub.id());
        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping during the overlap");
        var during = receiver.delivered().get(0);
        assertThat(during.header("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        new Webhook(newSecret).verify(during.body(), during.headers());
        new Webhook(sub.secret()).verify(during.body(), during.headers());

        pool.preparedQuery("update event_subscription set previous_secret_expires_at = now() - interval '1 second'"
                + " where id = $1").execute(Tuple.of(UUID.fromString(sub.id()))).await().indefinitely();
        ping(org, sub.id());
        Await.until(WAIT, () -> receiver.delivered().size() == 2, "the ping after the overlap");
        var after = receiver.delivered().get(1);
        assertThat(after.header("webhook-signature").split(" ")).hasSize(1);
        new Webhook(newSecret).verify(after.body(), after.headers());
        assertThatThrownBy(() -> new Webhook(sub.secret()).verify(after.body(), after.headers()))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void aReplacedSecretThisReplicaCannotOpenIsLeftOutRatherThanFailingTheAttempt() throws Exception {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("ping"));
        // As after an encryption-key rotation: the replaced secret sealed under a key this replica does not read.
        pool.preparedQuery(
                "update event_subscription set previous_secret_enc = 'v1.deadbeef.AAAAAAAAAAAAAAAAAAAAAAAAAAAA',"
                        + " previous_secret_expires_at = now() + interval '1 hour' where id = $1")
                .execute(Tuple.of(UUID.fromString(sub.id()))).await().indefinitely();
        ping(org, sub.id());
        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping signed with the current secret alone");
        var got = receiver.delivered().get(0);
        assertThat(got.header("webhook-signature").split(" ")).hasSize(1);
        new Webhook(sub.secret()).verify(got.body(), got.headers());
    }

    @Test
    void aCallsLaterEventWaitsWhileAnEarlierOneIsRetriedAndNoneIsLost() {
        var org = Api.newOrganization();
        subscribe(org, receiver.url(), List.of("call.initiated", "call.ringing", "call.answered", "call.completed"));
        // Every call's second event fails twice before it is accepted.
        var failures = new ConcurrentHashMap<String, AtomicInteger>();
        receiver.answer(event -> event.getInteger("sequence") == 2
                && failures.computeIfAbsent(event.getString("resourceId"), k -> new AtomicInteger())
                        .incrementAndGet() <= 2
                                ? 500
                                : 204);
        int calls = 20;
        var ids = IntStream.range(0, calls).mapToObj(i -> UUID.randomUUID()).toList();
        for (UUID id : ids) {
            insertCall(UUID.fromString(org.id()), id, "initiated");
        }
        for (String status : List.of("ringing", "in-progress", "completed")) {
            for (UUID id : ids) {
                setStatus(id, status);
            }
        }

        // Every event of every call accepted once at least (an attempt the receiver answered after its timeout, on a
        // loaded machine, is made again: at least once, so a count of deliveries could be reached early).
        Await.until(WAIT, () -> receiver.delivered().stream()
                .map(r -> r.json().getString("resourceId") + "/" + r.json().getInteger("sequence")).distinct()
                .count() == calls * 4, "every event of every call");
        var seen = new HashMap<String, List<Integer>>();
        for (var r : receiver.received()) {
            seen.computeIfAbsent(r.json().getString("resourceId"), k -> new ArrayList<>())
                    .add(r.json().getInteger("sequence"));
        }
        assertThat(seen.keySet()).containsExactlyInAnyOrderElementsOf(ids.stream().map(UUID::toString).toList());
        seen.values().forEach(order -> {
            // A later event never reaches the receiver before an earlier one was accepted; the second was refused
            // twice, so it came three times at least.
            assertThat(order).as("every attempt of one call, in arrival order").isSorted()
                    .containsSubsequence(1, 2, 2, 2, 3, 4);
            assertThat(order.stream().distinct().toList()).containsExactly(1, 2, 3, 4);
        });
        var types = receiver.delivered().stream()
                .filter(r -> r.json().getString("resourceId").equals(ids.get(0).toString()))
                .map(r -> r.json().getString("type")).distinct().toList();
        assertThat(types).containsExactly("call.initiated", "call.ringing", "call.answered", "call.completed");
        assertThat(receiver.delivered().get(0).json().getJsonObject("data").getString("callId")).isNotNull();

        // The replay list has them too, in the order they committed.
        var listed = Api.as(org).get("/v1/events?type=call.completed&limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items.resourceId", String.class);
        assertThat(listed).containsExactlyElementsOf(ids.stream().map(UUID::toString).toList());
    }

    @Test
    void aFailingAttemptIsRetriedWithGrowingWaitsAndEachAttemptIsListed() {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("ping"));
        var answered = new AtomicInteger();
        receiver.answer(event -> answered.incrementAndGet() <= 3 ? 500 : 200);
        // Read before the ping: its first attempt may be counted before the next statement runs.
        double delivered = metrics.counter("switchboard.events.attempts", "outcome", "delivered").count();
        double failed = metrics.counter("switchboard.events.attempts", "outcome", "failed").count();
        ping(org, sub.id());

        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping after three failures");
        Await.until(WAIT,
                () -> metrics.counter("switchboard.events.attempts", "outcome", "delivered").count() >= delivered + 1,
                "the delivered attempt to be counted");
        assertThat(metrics.counter("switchboard.events.attempts", "outcome", "failed").count())
                .isGreaterThanOrEqualTo(failed + 3);
        var at = receiver.received().stream().map(Receiver.Received::at).toList();
        assertThat(at).hasSize(4);
        assertThat(Duration.between(at.get(0), at.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(Duration.between(at.get(1), at.get(2))).isGreaterThanOrEqualTo(Duration.ofMillis(390));
        assertThat(Duration.between(at.get(2), at.get(3))).isGreaterThanOrEqualTo(Duration.ofMillis(790));
        Await.until(WAIT, () -> attempts(org, sub.id()).size() == 4, "the four attempts to be stored");
        var attempts = Api.as(org).get("/v1/event-subscriptions/" + sub.id() + "/deliveries").then().statusCode(200)
                .extract().jsonPath();
        assertThat(attempts.getList("items.status", String.class))
                .containsExactly("delivered", "failed", "failed", "failed");
        assertThat(attempts.getList("items.attempt", Integer.class)).containsExactly(4, 3, 2, 1);
        assertThat(attempts.getList("items.responseCode", Integer.class)).containsExactly(200, 500, 500, 500);
        assertThat(attempts.getList("items.latencyMs", Integer.class)).allMatch(ms -> ms != null && ms >= 0);
        assertThat(attempts.getList("items.deliveryState", String.class)).containsOnly("delivered");
        // Paged, newest first.
        var first = Api.as(org).get("/v1/event-subscriptions/" + sub.id() + "/deliveries?limit=3").then()
                .statusCode(200).extract().jsonPath();
        assertThat(first.getList("items.attempt", Integer.class)).containsExactly(4, 3, 2);
        Api.as(org).get("/v1/event-subscriptions/" + sub.id() + "/deliveries?limit=3&cursor="
                + first.getString("nextCursor")).then().statusCode(200).body("items.attempt", equalTo(List.of(1)));
    }

    @Test
    void theBacklogAndHowLongDeliveriesTakeAreMetrics() {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("ping"));
        receiver.answer(event -> 500);
        String eventId = ping(org, sub.id());
        // As if the change had happened a minute ago and the receiver had failed since.
        pool.preparedQuery("update event set occurred_at = now() - interval '60 seconds' where id = $1")
                .execute(Tuple.of(UUID.fromString(eventId))).await().indefinitely();

        var backlog = delivery.readBacklog().await().atMost(WAIT);
        assertThat(backlog.pending()).isGreaterThanOrEqualTo(1);
        assertThat(backlog.oldestSeconds()).isGreaterThanOrEqualTo(60);
        assertThat(metrics.get("switchboard.events.backlog").gauge().value()).isGreaterThanOrEqualTo(1);
        assertThat(metrics.get("switchboard.events.backlog.oldest").gauge().value()).isGreaterThanOrEqualTo(60);

        var lag = metrics.get("switchboard.events.delivery.lag").timer();
        long count = lag.count();
        double seconds = lag.totalTime(java.util.concurrent.TimeUnit.SECONDS);
        // The attempt that succeeds must read the event after the update: the second attempt to arrive from now on
        // was claimed after the first of them failed, so after the update.
        int seen = receiver.received().size();
        Await.until(WAIT, () -> receiver.received().size() >= seen + 2, "two failed attempts after the update");
        receiver.answer(event -> 204);
        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping once the receiver recovers");
        // Each delivery counts its delay from the change, not from its last attempt: this one's is a minute or more.
        Await.until(WAIT, () -> lag.count() >= count + 1, "the ping's delay recorded");
        assertThat(lag.totalTime(java.util.concurrent.TimeUnit.SECONDS) - seconds).as("count %d -> %d", count,
                lag.count()).isGreaterThanOrEqualTo(60);
    }

    @Test
    void aSubscriptionFailingForTheWholeWindowIsPausedAndThatIsAnEvent() throws Exception {
        var org = Api.newOrganization();
        try (var watcher = new Receiver(vertx)) {
            var watching = subscribe(org, watcher.url(), List.of("subscription.paused"));
            var failing = subscribe(org, receiver.url(), List.of("ping"));
            receiver.answer(event -> 503);
            ping(org, failing.id());

            Await.until(WAIT, () -> "paused".equals(Api.as(org).get("/v1/event-subscriptions/" + failing.id())
                    .then().extract().path("status")), "the failing subscription to be paused");
            Api.as(org).get("/v1/event-subscriptions/" + failing.id()).then().body("pausedReason", equalTo("failing"));
            assertThat(attempts(org, failing.id())).allMatch(a -> "failed".equals(a.get("deliveryState")));
            Await.until(WAIT, () -> watcher.delivered().size() == 1, "subscription.paused to reach the other one");
            var paused = watcher.delivered().get(0).json();
            assertThat(paused.getString("type")).isEqualTo("subscription.paused");
            assertThat(paused.getString("resourceId")).isEqualTo(failing.id());
            new Webhook(watching.secret()).verify(watcher.delivered().get(0).body(),
                    watcher.delivered().get(0).headers());
            Api.as(org).get("/v1/events?type=subscription.paused").then().statusCode(200)
                    .body("items.resourceId", equalTo(List.of(failing.id())));

            // Paused: nothing is attempted. Resumed: what waited is delivered.
            int before = receiver.received().size();
            ping(org, failing.id());
            Thread.sleep(500);
            assertThat(receiver.received()).hasSize(before);
            receiver.answer(event -> 204);
            Api.as(org).body(Map.of("paused", false)).patch("/v1/event-subscriptions/" + failing.id())
                    .then().statusCode(200).body("status", equalTo("active"));
            Await.until(WAIT, () -> receiver.delivered().size() == 1, "the ping recorded while paused");
        }
    }

    @Test
    void eachOrganizationReceivesOnlyItsOwnEvents() throws Exception {
        var a = Api.newOrganization();
        var b = Api.newOrganization();
        try (var other = new Receiver(vertx)) {
            subscribe(a, receiver.url(), List.of("*"));
            subscribe(b, other.url(), List.of("*"));
            UUID callA = UUID.randomUUID();
            UUID callB = UUID.randomUUID();
            insertCall(UUID.fromString(a.id()), callA, "ringing");
            insertCall(UUID.fromString(b.id()), callB, "ringing");
            Await.until(WAIT, () -> receiver.delivered().size() == 1 && other.delivered().size() == 1,
                    "each call's event to its own organization");
            assertThat(receiver.delivered().get(0).json().getString("resourceId")).isEqualTo(callA.toString());
            assertThat(other.delivered().get(0).json().getString("resourceId")).isEqualTo(callB.toString());
            Api.as(b).get("/v1/events").then().body("items.resourceId", equalTo(List.of(callB.toString())));
        }
    }

    @Test
    void oldEventsAreprunedOnceTheirDeliveriesAreOver() {
        var org = Api.newOrganization();
        var sub = subscribe(org, receiver.url(), List.of("ping"));
        String delivered = ping(org, sub.id());
        Await.until(WAIT, () -> receiver.delivered().size() == 1, "the first ping");
        // Its outcome is stored a moment after the receiver answered (grouped with others).
        Await.until(WAIT,
                () -> attempts(org, sub.id()).stream().anyMatch(a -> "delivered".equals(a.get("deliveryState"))),
                "the first ping's delivery to be stored as delivered");
        receiver.answer(event -> 500);
        String pending = ping(org, sub.id());
        pool.preparedQuery("update event set occurred_at = now() - interval '40 days' where id = any($1)")
                .execute(Tuple.of(new UUID[] { UUID.fromString(delivered), UUID.fromString(pending) }))
                .await().indefinitely();
        delivery.pruneNow().await().atMost(WAIT);
        var left = Api.as(org).get("/v1/events").then().statusCode(200).extract().jsonPath()
                .getList("items.id", String.class);
        assertThat(left).containsExactly(pending);
    }

    record Subscription(String id, String secret) {
    }

    static Subscription subscribe(Api.Org org, String url, List<String> events) {
        var body = Api.as(org).body(Map.of("url", url, "events", events)).post("/v1/event-subscriptions")
                .then().statusCode(201).extract().jsonPath();
        return new Subscription(body.getString("id"), body.getString("secret"));
    }

    static String ping(Api.Org org, String subscriptionId) {
        return Api.as(org).post("/v1/event-subscriptions/" + subscriptionId + "/test").then().statusCode(202)
                .extract().path("eventId");
    }

    static List<Map<String, Object>> attempts(Api.Org org, String subscriptionId) {
        return Api.as(org).get("/v1/event-subscriptions/" + subscriptionId + "/deliveries").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    void insertCall(UUID organizationId, UUID id, String status) {
        pool.preparedQuery(
                """
                        insert into call (id, organization_id, direction, from_number, to_number, status, created_at, updated_at)
                        values ($1, $2, 'outbound', '+14155550100', '+14155550199', $3, now(), now())""")
                .execute(Tuple.of(id, organizationId, status)).await().indefinitely();
    }

    void setStatus(UUID id, String status) {
        pool.preparedQuery("update call set status = $2, updated_at = now() where id = $1")
                .execute(Tuple.of(id, status)).await().indefinitely();
    }
}
