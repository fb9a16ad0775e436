package io.switchboard.db;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Connected;
import io.switchboard.support.LogCapture;
import io.switchboard.support.PostgresProcesses;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.TwilioSignature;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops answering (SIGSTOP, for longer than every timeout of the test profile), then comes back (SIGCONT).
 * Meanwhile the replica stays ready and answers inbound calls from memory, its database group says DOWN, callbacks
 * are answered 503 within the response timeout and no more than the bound wait, the dispatcher's ticks fail rather
 * than hang, and the change feeds give up their silent connections. Afterwards each part recovers by itself:
 * callbacks are stored again, the feeds listen on new connections and carry a change made after the freeze, and the
 * dispatcher works again.
 */
@QuarkusTest
class DatabaseFreezeTest {

    private static final Pattern WAITING = Pattern.compile(
            "switchboard_database_group_commit_waiting\\{statement=\"call_event\"} ([0-9.]+)");
    private static final Pattern REFUSED = Pattern.compile(
            "switchboard_database_group_commit_refused_total\\{statement=\"call_event\"} ([0-9.]+)");
    /** More than enough to saturate: the wave beyond the bound is refused at once. */
    private static final int WAVE = 40;

    @Inject
    TwilioSimulator simulator;
    @Inject
    RoutingTable routing;
    @Inject
    ChangeFeeds feeds;
    @Inject
    Pool pool;
    @ConfigProperty(name = "switchboard.database.response-timeout")
    Duration responseTimeout;
    @ConfigProperty(name = "switchboard.database.group-commit.max-waiting")
    int maxWaiting;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void eachPartRecoversByItselfFromADatabaseThatStoppedAnswering() throws Exception {
        var c = Connected.create(simulator, 1);
        String first = c.createAgent(agent("first"));
        String second = c.createAgent(agent("second"));
        String numberId = c.importNumber(0, first);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> routing.find(c.number(0)).map(r -> r.agent().id().toString()).orElse("").equals(first));
        status(c).then().statusCode(204);
        Set<Integer> listenersBefore = listeners();
        assertThat(listenersBefore).hasSize(2);
        long missedBefore = missedHeartbeats();
        String answeredDuringTheFreeze;

        try (var logs = LogCapture.start()) {
            try (var frozen = PostgresProcesses.freezeServer(pool)) {
                long frozenAt = System.nanoTime();
                assertReady();

                // Callers still reach their agents: the answer needs no database.
                var inbound = SignedWebhook.inboundCall(c.account().accountSid(), "+15105550123", c.number(0));
                answeredDuringTheFreeze = inbound.get("CallSid").get(0);
                var answer = SignedWebhook.post("/twilio/voice/inbound", inbound, c.account().authToken());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.asString()).contains("<Stream url=\"wss://first.example.com/m\">");

                // Callbacks: some in flight on connections that no longer answer, as many waiting as the bound
                // allows, the rest refused at once.
                long refusedBefore = metric(REFUSED);
                var inFlight = send(c, 4);
                Thread.sleep(300);
                var saturating = send(c, WAVE);
                var maxSeen = new AtomicInteger();
                await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                    maxSeen.accumulateAndGet((int) metric(WAITING), Math::max);
                    assertThat(maxSeen.get()).isEqualTo(maxWaiting);
                });
                var refused = send(c, 8);
                for (var answered : refused) {
                    assertThat(answered.get().status()).isEqualTo(503);
                    assertThat(answered.get().waited()).isLessThan(Duration.ofSeconds(1));
                }
                assertThat(metric(REFUSED) - refusedBefore).isGreaterThanOrEqualTo(8 + WAVE - maxWaiting - 3);

                // Everyone else waited no longer than the response timeout, and got a 503; the wait list never grew
                // past its bound meanwhile.
                var others = concat(inFlight, saturating);
                while (!others.stream().allMatch(CompletableFuture::isDone)) {
                    maxSeen.accumulateAndGet((int) metric(WAITING), Math::max);
                }
                for (var answered : others) {
                    assertThat(answered.get().status()).isEqualTo(503);
                    assertThat(answered.get().waited()).isLessThan(responseTimeout.plusSeconds(1));
                }
                assertThat(maxSeen.get()).as("the most callers ever waiting").isEqualTo(maxWaiting);
                assertReady();

                // The heartbeats stopped coming back: each feed gave its connection up and is reconnecting.
                await().atMost(responseTimeout.plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> missedHeartbeats() >= missedBefore + 2);
                given().get("/q/health/group/database").then().statusCode(503).body("status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'database' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'change-feeds' }.status", equalTo("DOWN"));
                // The dispatcher's tick failed rather than hung.
                await().atMost(responseTimeout.plusSeconds(3)).pollInterval(Duration.ofMillis(100))
                        .until(() -> logs.all().contains("outbound dispatch fails"));
                assertReady();
                assertThat(Duration.ofNanos(System.nanoTime() - frozenAt)).as("how long the server was stopped")
                        .isGreaterThan(responseTimeout);
            }

            // Back: callbacks are stored again, the group says UP, the dispatcher works again.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> status(c).statusCode() == 204);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> given().get("/q/health/group/database").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(() -> logs.all().contains("outbound dispatch works again"));
        }

        // The feeds listen on new connections, and a change made now reaches the routing table.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            var now = listeners();
            assertThat(now).hasSize(2).doesNotContainAnyElementsOf(listenersBefore);
        });
        Api.as(c.org()).body(Map.of("agentId", second)).patch("/v1/phone-numbers/" + numberId)
                .then().statusCode(200);
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> routing.find(c.number(0)).map(r -> r.agent().id().toString()).orElse("")
                        .equals(second));
        // The call answered from memory during the freeze was recorded once the database came back.
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                .until(() -> Api.as(c.org()).get("/v1/calls?sid=" + answeredDuringTheFreeze).then().statusCode(200)
                        .extract().jsonPath().getList("items").size() == 1);
        assertReady();
    }

    private static Map<String, Object> agent(String name) {
        return Map.of("name", name, "routing", Map.of("type", "stream", "url", "wss://" + name + ".example.com/m"));
    }

    private static void assertReady() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    private static io.restassured.response.Response status(Connected c) {
        return SignedWebhook.post("/twilio/voice/status", statusParams(c), c.account().authToken());
    }

    private static Map<String, List<String>> statusParams(Connected c) {
        return SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", "CA" + SimAccount.hex(16),
                "CallStatus", "completed", "Direction", "outbound-api", "SequenceNumber", "3");
    }

    /** A callback's answer, and how long after it was sent it came. */
    private record Answered(int status, Duration waited) {
    }

    /** Status callbacks for calls of their own, all at once, without waiting for their answers. */
    private List<CompletableFuture<Answered>> send(Connected c, int count) {
        String path = "/twilio/voice/status";
        return IntStream.range(0, count).mapToObj(i -> {
            var params = statusParams(c);
            String form = params.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(e.getValue().get(0)))
                    .collect(Collectors.joining("&"));
            var request = HttpRequest.newBuilder(URI.create(SignedWebhook.base() + path))
                    .timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(TwilioSignature.HEADER,
                            TwilioSignature.sign(SignedWebhook.base() + path, params, c.account().authToken()))
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build();
            long sent = System.nanoTime();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> new Answered(response.statusCode(),
                            Duration.ofNanos(System.nanoTime() - sent)));
        }).toList();
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        var all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static long metric(Pattern pattern) {
        var matcher = pattern.matcher(given().get("/q/metrics").then().statusCode(200).extract().asString());
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    private long missedHeartbeats() {
        return feeds.opened().stream().mapToLong(ChangeFeed::heartbeatsMissed).sum();
    }

    /** The backends the service's change feeds listen on. */
    private Set<Integer> listeners() {
        var pids = new HashSet<Integer>();
        for (Row row : pool.preparedQuery("select pid from pg_stat_activity where application_name = $1")
                .execute(Tuple.of(DatabaseConnections.APPLICATION_NAME + "-listener"))
                .await().atMost(Duration.ofSeconds(5))) {
            pids.add(row.getInteger("pid"));
        }
        return pids;
    }
}
