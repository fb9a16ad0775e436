package io.switchboard.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.db.ChangeFeeds;
import io.switchboard.db.JsonColumns;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.LogCapture;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory routing table against the real database: every change made through the API reaches it, and every
 * replica's, within a second; a replica that lost its listening connection, or could not read, catches up.
 * <p>
 * The second replica listens as a role of its own, so the test can find its backend, and keep it from connecting
 * (NOLOGIN) or reading (REVOKE) while a change is made: each outage is then certain, not a race against the
 * reconnect timer.
 */
@QuarkusTest
class RoutingTableTest {

    /** The promise: a change is routable (or gone) on every replica within this. */
    private static final Duration PROPAGATION = Duration.ofSeconds(1);
    /** Reconnecting waits 100 ms, doubling, at most 3 s between attempts; then the full reload. */
    private static final Duration CATCH_UP = Duration.ofSeconds(8);
    private static final Duration POLL = Duration.ofMillis(10);
    private static final Map<String, Object> STREAM_AGENT = Map.of("name", "Bot",
            "routing", Map.of("type", "stream", "url", "wss://a.example.com/m"));

    @Inject
    RoutingTable table;
    @Inject
    TwilioSimulator simulator;
    @Inject
    Vertx vertx;
    @Inject
    Pool pool;
    @Inject
    JsonColumns json;
    @Inject
    ChangeFeeds feeds;

    private Api.Org org;
    private SimAccount account;
    private String providerId;
    private String replicaRole;
    private RoutingTable replica;
    private PgPool replicaPool;

    @BeforeEach
    void setUp() {
        org = Api.newOrganization();
        account = SimAccount.create(simulator, 3);
        providerId = Api.as(org).body(account.providerRequest("Acme")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
        await().atMost(PROPAGATION).until(table::isLoaded);
    }

    @AfterEach
    void stopReplica() {
        if (replica != null) {
            replica.stop();
        }
        if (replicaPool != null) {
            replicaPool.closeAndAwait();
        }
        if (replicaRole != null) {
            sql("select pg_terminate_backend(pid) from pg_stat_activity where usename = $1", replicaRole);
            sql("drop owned by " + replicaRole);
            sql("drop role " + replicaRole);
        }
    }

    @Test
    void everyKindOfChangeIsRoutableWithinASecond() {
        String agent = agent(Map.of("name", "Bot", "routing", Map.of("type", "stream", "url", "wss://a.example.com/m"),
                "parameters", Map.of("tenant", "acme")));
        String number = account.numbers().get(0);
        String id = Api.as(org).body(Map.of("number", number, "providerId", providerId, "agentId", agent))
                .post("/v1/phone-numbers").then().statusCode(201).extract().path("id");

        eventually(number, route -> {
            assertThat(route.numberId()).hasToString(id);
            assertThat(route.organizationId()).hasToString(org.id());
            assertThat(route.providerId()).hasToString(providerId);
            assertThat(route.accountSid()).isEqualTo(account.accountSid());
            assertThat(route.region()).isEqualTo("us1");
            assertThat(route.agent()).isEqualTo(new Route.Agent(UUID.fromString(agent), "stream",
                    "wss://a.example.com/m", Map.of("tenant", "acme"), false, null));
        });

        patchAgent(agent, Map.of("routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com")));
        eventually(number, route -> {
            assertThat(route.agent().type()).isEqualTo("sip");
            assertThat(route.agent().target()).isEqualTo("sip:bot@sip.example.com");
        });
        patchAgent(agent, Map.of("parameters", Map.of("tenant", "globex", "voice", "alloy")));
        eventually(number, route -> assertThat(route.agent().parameters())
                .isEqualTo(Map.of("tenant", "globex", "voice", "alloy")));
        patchAgent(agent, Map.of("recording", "on", "transferNumber", "+14155550100"));
        eventually(number, route -> {
            assertThat(route.agent().recording()).isTrue();
            assertThat(route.agent().transferNumber()).isEqualTo("+14155550100");
        });

        String other = agent(Map.of("name", "Human", "routing", Map.of("type", "number", "number", "+442071838750")));
        patchNumber(id, Map.of("agentId", other));
        eventually(number, route -> assertThat(route.agent().id()).hasToString(other));
        patchNumber(id, nulls("agentId"));
        eventually(number, route -> assertThat(route.agent()).isNull());

        // What a route holds of its provider (account, region) cannot change through the API, which changes only
        // names and credentials; the provider's notification is proved with an update made in SQL.
        sql("update provider set region = 'ie1', updated_at = now() where id = $1", UUID.fromString(providerId));
        eventually(number, route -> assertThat(route.region()).isEqualTo("ie1"));
        sql("update provider set region = 'us1', updated_at = now() where id = $1", UUID.fromString(providerId));
        eventually(number, route -> assertThat(route.region()).isEqualTo("us1"));

        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(204);
        await().atMost(PROPAGATION).pollInterval(POLL).until(() -> table.find(number).isEmpty());
    }

    @Test
    void aBulkImportAndAFailedImportLeaveTheTableRight() {
        var numbers = account.numbers();
        simulator.failRoute("POST", "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json", 400, 21999, 1);
        Api.as(org).body(Map.of("number", numbers.get(2), "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(422);
        Api.as(org).body(Map.of("numbers", numbers.subList(0, 2)))
                .post("/v1/providers/" + providerId + "/import-numbers").then().statusCode(200);

        await().atMost(PROPAGATION).pollInterval(POLL).untilAsserted(() -> {
            assertThat(table.find(numbers.get(0))).isPresent();
            assertThat(table.find(numbers.get(1))).isPresent();
        });
        // The claim the failed import made, and took back, is not routable.
        assertThat(table.find(numbers.get(2))).isEmpty();
    }

    @Test
    void anAgentWithUnreadableParametersIsStillRoutedAndDoesNotBlockAFullReload() {
        String agent = agent(STREAM_AGENT);
        String number = account.numbers().get(0);
        importNumber(number, agent);
        eventually(number, route -> assertThat(route.agent().id()).hasToString(agent));
        sql("update agent set parameters = 'not json', updated_at = now() where id = $1", UUID.fromString(agent));
        eventually(number, route -> assertThat(route.agent().parameters()).isEmpty());

        // A replica starting now loads everything, this agent included.
        startReplica();
        bothEventually(number, route -> assertThat(route.agent().id()).hasToString(agent));
    }

    @Test
    void twoReplicasSeeTheSameChangeWithinASecond() {
        startReplica();
        String agent = agent(STREAM_AGENT);
        String number = account.numbers().get(0);
        String id = Api.as(org).body(Map.of("number", number, "providerId", providerId, "agentId", agent))
                .post("/v1/phone-numbers").then().statusCode(201).extract().path("id");
        bothEventually(number, route -> assertThat(route.agent().id()).hasToString(agent));

        patchAgent(agent, Map.of("recording", "on"));
        bothEventually(number, route -> assertThat(route.agent().recording()).isTrue());

        patchNumber(id, nulls("agentId"));
        bothEventually(number, route -> assertThat(route.agent()).isNull());

        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(204);
        await().atMost(PROPAGATION).pollInterval(POLL)
                .until(() -> table.find(number).isEmpty() && replica.find(number).isEmpty());
    }

    @Test
    void aReplicaThatLostItsListenerReloadsEverythingOnReconnect() {
        startReplica();
        var numbers = account.numbers();
        String agent = agent(STREAM_AGENT);
        String kept = importNumber(numbers.get(0), agent);
        String deleted = importNumber(numbers.get(1), null);
        bothEventually(numbers.get(1), route -> assertThat(route.numberId()).hasToString(deleted));

        // The listener's backend is the replica role's only one, idle after its LISTEN.
        var backends = rows("select pid, query from pg_stat_activity where usename = $1", replicaRole);
        assertThat(backends).hasSize(1);
        assertThat(backends.get(0).getString("query")).startsWithIgnoringCase("LISTEN");
        // Refuse new logins first, so the replica stays away until every change below is committed.
        sql("alter role " + replicaRole + " nologin");
        var terminated = rows("select pg_terminate_backend(pid) as done from pg_stat_activity where usename = $1",
                replicaRole);
        assertThat(terminated).hasSize(1);
        assertThat(terminated.get(0).getBoolean("done")).isTrue();

        patchAgent(agent, Map.of("routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com")));
        Api.as(org).delete("/v1/phone-numbers/" + deleted).then().statusCode(204);
        String added = importNumber(numbers.get(2), agent);
        // The service's own table heard all of it; the replica, disconnected, none of it.
        await().atMost(PROPAGATION).pollInterval(POLL).until(() -> table.find(numbers.get(2)).isPresent()
                && table.find(numbers.get(1)).isEmpty() && "sip".equals(table.find(numbers.get(0))
                        .map(r -> r.agent().type()).orElse(null)));
        assertThat(replica.find(numbers.get(2))).isEmpty();
        assertThat(replica.find(numbers.get(1))).isPresent();
        assertThat(replica.find(numbers.get(0)).orElseThrow().agent().type()).isEqualTo("stream");

        sql("alter role " + replicaRole + " login");
        await().atMost(CATCH_UP).pollInterval(POLL).untilAsserted(() -> {
            assertThat(replica.find(numbers.get(2)).map(r -> r.numberId().toString())).contains(added);
            assertThat(replica.find(numbers.get(1))).isEmpty();
            assertThat(replica.find(numbers.get(0)).orElseThrow().agent().type()).isEqualTo("sip");
        });
        assertThat(replica.find(numbers.get(0)).orElseThrow().numberId()).hasToString(kept);
        // Listening again: the next change arrives as a notification.
        patchAgent(agent, Map.of("recording", "on"));
        bothEventually(numbers.get(0), route -> assertThat(route.agent().recording()).isTrue());
    }

    @Test
    void aReplicaStartedWhileTheDatabaseRefusesItKeepsTryingAndLoads() {
        createReplicaRole();
        sql("alter role " + replicaRole + " nologin");
        try (var logs = LogCapture.start()) {
            replica = new RoutingTable(pool, json, feeds, replicaOptions());
            replica.start().subscribe().with(ok -> {}, e -> {});
            await().atMost(CATCH_UP).pollInterval(POLL).until(() -> logs.lines().stream()
                    .filter(line -> line.contains("cannot listen for changes yet")).count() >= 2);
        }
        assertThat(replica.isLoaded()).isFalse();

        String number = account.numbers().get(0);
        importNumber(number, null);
        sql("alter role " + replicaRole + " login");
        await().atMost(CATCH_UP).pollInterval(POLL).until(replica::isLoaded);
        assertThat(replica.find(number)).isPresent();
    }

    @Test
    void aReloadThatFailsIsRepairedByAFullReload() {
        createReplicaRole();
        // The replica reads through a pool of its own role, so that its reads alone can be refused.
        replicaPool = PgPool.pool(vertx, replicaOptions(), new PoolOptions().setMaxSize(2));
        replica = new RoutingTable(replicaPool, json, feeds, replicaOptions());
        replica.start().await().atMost(PROPAGATION);
        await().atMost(PROPAGATION).pollInterval(POLL).until(replica::isLoaded);

        sql("revoke select on phone_number from " + replicaRole);
        String number = account.numbers().get(0);
        importNumber(number, null);
        await().atMost(PROPAGATION).pollInterval(POLL).until(() -> table.find(number).isPresent());
        assertThat(replica.find(number)).isEmpty();

        // The notification was consumed by a failed read; only a later reload can bring the number in.
        sql("grant select on phone_number to " + replicaRole);
        await().atMost(CATCH_UP).pollInterval(POLL).until(() -> replica.find(number).isPresent());
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void startReplica() {
        createReplicaRole();
        replica = new RoutingTable(pool, json, feeds, replicaOptions());
        replica.start().await().atMost(PROPAGATION);
        await().atMost(PROPAGATION).pollInterval(POLL).until(replica::isLoaded);
    }

    /** A login role of the replica's own; it reads only what the routing table reads. */
    private void createReplicaRole() {
        replicaRole = "routing_replica_" + SimAccount.hex(6);
        sql("create role " + replicaRole + " login");
        sql("grant select on phone_number, provider, agent to " + replicaRole);
    }

    private PgConnectOptions replicaOptions() {
        var options = feeds.listenOn();
        options.setUser(replicaRole);
        options.setPassword("");
        return options;
    }

    private void eventually(String number, Consumer<Route> check) {
        await().atMost(PROPAGATION).pollInterval(POLL)
                .untilAsserted(() -> check.accept(routed(table, number)));
    }

    private void bothEventually(String number, Consumer<Route> check) {
        await().atMost(PROPAGATION).pollInterval(POLL).untilAsserted(() -> {
            check.accept(routed(table, number));
            check.accept(routed(replica, number));
        });
    }

    /** An assertion failure, not an exception, while the route is not there yet: the await keeps polling. */
    private static Route routed(RoutingTable in, String number) {
        return in.find(number).orElseThrow(() -> new AssertionError(number + " is not routed yet"));
    }

    private String importNumber(String number, String agentId) {
        var body = new HashMap<String, Object>(Map.of("number", number, "providerId", providerId));
        if (agentId != null) {
            body.put("agentId", agentId);
        }
        return Api.as(org).body(body).post("/v1/phone-numbers").then().statusCode(201).extract().path("id");
    }

    private String agent(Map<String, Object> body) {
        return Api.as(org).body(body).post("/v1/agents").then().statusCode(201).extract().path("id");
    }

    private void patchAgent(String id, Map<String, Object> patch) {
        Api.as(org).body(patch).patch("/v1/agents/" + id).then().statusCode(200);
    }

    private void patchNumber(String id, Map<String, Object> patch) {
        Api.as(org).body(patch).patch("/v1/phone-numbers/" + id).then().statusCode(200);
    }

    private static Map<String, Object> nulls(String field) {
        var body = new HashMap<String, Object>();
        body.put(field, null);
        return body;
    }

    private void sql(String statement, Object... args) {
        rows(statement, args);
    }

    private List<io.vertx.mutiny.sqlclient.Row> rows(String statement, Object... args) {
        var result = args.length == 0
                ? pool.query(statement).execute()
                : pool.preparedQuery(statement).execute(Tuple.from(List.of(args)));
        var rows = new java.util.ArrayList<io.vertx.mutiny.sqlclient.Row>();
        result.await().atMost(Duration.ofSeconds(5)).forEach(rows::add);
        return rows;
    }
}
