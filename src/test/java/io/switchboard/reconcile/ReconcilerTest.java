package io.switchboard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.arc.All;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.switchboard.outbound.DispatchState;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.CallRequest;
import io.switchboard.twilio.MessageRequest;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation against the embedded PostgreSQL and the simulator: rows whose last callbacks never arrived are
 * written straight into the database beside a call or message the simulator knows, made without a status callback.
 * The ticks are run here (the test profile turns the timer off) with a batch of 5 rows per kind and 3 per account.
 * Rows are made quiet by moving their last event an hour or more back, beyond any other test's rows.
 */
@QuarkusTest
class ReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @Inject
    TwilioSimulator simulator;

    @Inject
    Reconciler reconciler;

    @Inject
    ReconcileRepository repository;

    @Inject
    @All
    List<ReconcileKind> kinds;

    @Inject
    ProviderCredentials credentials;

    @Inject
    ReconcileConfig config;

    @Inject
    Vertx vertx;

    @Inject
    TwilioClient twilio;

    @Inject
    WebhookUrls urls;

    @Inject
    Pool pool;

    /** A connected account and what rows written for it need. */
    record Account(Connected connected, UUID organizationId, UUID providerId, TwilioCredentials creds) {
        String accountSid() {
            return connected.account().accountSid();
        }
    }

    @AfterEach
    void noFaults() {
        simulator.setFaults(Faults.NONE);
    }

    @Test
    void aCallWhoseLastCallbackNeverCameEndsAsTwilioSaysOnceItIsQuietForTheAge() throws Exception {
        var a = account();
        String sid = finishedCall(a);
        var simulated = simulator.call(sid).orElseThrow();
        assertThat(simulated.status()).isEqualTo("completed");
        UUID id = insertCall(a, sid, "in-progress", Duration.ZERO);

        tick(reconciler);
        assertThat(fetches(sid)).as("not asked about within the age").isZero();
        assertThat(row("call", id).getString("status")).isEqualTo("in-progress");

        quiet("call", id, Duration.ofHours(1));
        tick(reconciler);

        assertThat(fetches(sid)).isEqualTo(1);
        Row call = row("call", id);
        assertThat(call.getString("status")).isEqualTo("completed");
        assertThat(call.getOffsetDateTime("ended_at")).isNotNull();
        assertThat(call.getInteger("duration_seconds")).isEqualTo(simulated.durationSeconds());
        var events = events(a, "calls", id);
        assertThat(events.getList("items.type")).containsExactly(ReconciledEvent.TYPE);
        assertThat(events.getList("items.status")).containsExactly("completed");
        assertThat(events.getList("items[0].params.CallStatus")).containsExactly("completed");
        assertThat(events.getList("items[0].params.AccountSid")).containsExactly(a.accountSid());

        tick(reconciler);
        assertThat(fetches(sid)).as("a finished call is not asked about again").isEqualTo(1);
    }

    @Test
    void aMessageWhoseDeliveryReportNeverCameEndsDelivered() throws Exception {
        var a = account();
        String sid = deliveredMessage(a);
        UUID id = insertMessage(a, sid, "sent", Duration.ZERO);

        tick(reconciler);
        assertThat(fetches(sid)).isZero();

        quiet("message", id, Duration.ofHours(1));
        tick(reconciler);

        assertThat(fetches(sid)).isEqualTo(1);
        assertThat(row("message", id).getString("status")).isEqualTo("delivered");
        var events = events(a, "messages", id);
        assertThat(events.getList("items.type")).containsExactly(ReconciledEvent.TYPE);
        assertThat(events.getList("items.status")).containsExactly("delivered");
        assertThat(events.getList("items[0].params.MessageStatus")).containsExactly("delivered");
    }

    @Test
    void aTickClaimsAtMostItsBatchAndAtMostItsShareOfOneAccount() throws Exception {
        var older = account();
        var newer = account();
        var olderSids = new ArrayList<String>();
        var newerSids = new ArrayList<String>();
        for (int i = 0; i < 4; i++) {
            olderSids.add(sentMessageRow(older, Duration.ofHours(3)));
            newerSids.add(sentMessageRow(newer, Duration.ofHours(2)));
        }

        tick(reconciler);

        assertThat(fetched(olderSids)).as("the per-account cap").isEqualTo(config.perAccountCap()).isEqualTo(3);
        assertThat(fetched(newerSids)).as("the rest of the batch of 5").isEqualTo(2);

        tick(reconciler);

        assertThat(olderSids).allSatisfy(sid -> assertThat(fetches(sid)).isEqualTo(1));
        assertThat(newerSids).allSatisfy(sid -> assertThat(fetches(sid)).isEqualTo(1));
        assertThat(statuses(older)).containsOnly("delivered").hasSize(4);
        assertThat(statuses(newer)).containsOnly("delivered").hasSize(4);
    }

    @Test
    void twoReplicasTickingAtOnceNeverFetchTheSameRow() throws Exception {
        var a = account();
        var sids = new ArrayList<String>();
        for (int i = 0; i < 6; i++) {
            sids.add(sentMessageRow(a, Duration.ofHours(4)));
        }
        var other = new Reconciler(repository, kinds, credentials, config, vertx);
        // Each fetch takes a while: the other replica claims while the first one's fetches are in flight.
        simulator.setFaults(Faults.NONE.withLatency(Duration.ofMillis(300)));

        var later = Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(100)).chain(other::tick);
        var claimed = Uni.combine().all().unis(reconciler.tick(), later).asTuple().await().atMost(WAIT);

        assertThat(claimed.getItem1()).as("the first replica's claim").isGreaterThanOrEqualTo(3);
        assertThat(claimed.getItem2()).as("the other replica's claim").isGreaterThanOrEqualTo(3);

        assertThat(sids).allSatisfy(sid -> assertThat(fetches(sid)).as(sid).isEqualTo(1));
        assertThat(statuses(a)).containsOnly("delivered").hasSize(6);
    }

    @Test
    void aFinishedRowIsNotFetchedAndOneTwilioDoesNotKnowIsLeftAndAskedAboutOnlyLater() throws Exception {
        var a = account();
        String delivered = deliveredMessage(a);
        UUID finished = insertMessage(a, delivered, "delivered", Duration.ofHours(5));
        String unknown = "CA" + SimAccount.hex(16);
        UUID lost = insertCall(a, unknown, "in-progress", Duration.ofHours(5));

        tick(reconciler);

        assertThat(fetches(delivered)).isZero();
        assertThat(row("message", finished).getString("status")).isEqualTo("delivered");
        assertThat(fetches(unknown)).isEqualTo(1);
        Row call = row("call", lost);
        assertThat(call.getString("status")).isEqualTo("in-progress");
        // Asked again after as long as it has been quiet: five hours on.
        assertThat(call.getOffsetDateTime("reconcile_after")).isAfter(OffsetDateTime.now().plusHours(4));
        assertThat(events(a, "calls", lost).getList("items")).isEmpty();

        tick(reconciler);
        assertThat(fetches(unknown)).isEqualTo(1);
    }

    @Test
    void aStatusBehindTheRowIsKeptInTheEventOnlyAndTheSameStatusIsStoredOnce() throws Exception {
        var a = account();
        var before = simulator.timing();
        simulator.setTiming(new Timing(before.step(), Duration.ofSeconds(60)));
        String ringing;
        String ended;
        try {
            ringing = answeredCall(a);
            ended = answeredCall(a);
        } finally {
            simulator.setTiming(before);
        }
        try {
            ReconcileKind calls = kinds.stream().filter(k -> k.table().name().equals("call")).findFirst()
                    .orElseThrow();
            UUID behind = insertCall(a, ringing, "ringing", Duration.ofHours(1));
            UUID done = insertCall(a, ended, "completed", Duration.ofHours(1));

            assertThat(reconcile(calls, behind, ringing, "ringing", a)).isTrue();
            Row call = row("call", behind);
            assertThat(call.getString("status")).isEqualTo("in-progress");
            assertThat(call.getOffsetDateTime("answered_at")).isNotNull();
            assertThat(reconcile(calls, behind, ringing, "ringing", a)).as("the same status twice").isFalse();
            assertThat(events(a, "calls", behind).getList("items.status")).containsExactly("in-progress");

            // Claimed while ringing; its completed callback came while Twilio was being asked.
            assertThat(reconcile(calls, done, ended, "ringing", a)).isTrue();
            assertThat(row("call", done).getString("status")).isEqualTo("completed");
            assertThat(events(a, "calls", done).getList("items.status")).containsExactly("in-progress");
        } finally {
            twilio.updateCall(a.creds(), ringing, "completed").await().atMost(WAIT);
            twilio.updateCall(a.creds(), ended, "completed").await().atMost(WAIT);
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Account account() {
        var c = Connected.create(simulator, 1);
        var creds = TwilioCredentials.withAuthToken(c.account().accountSid(), c.account().authToken(),
                TwilioRegion.US1);
        return new Account(c, UUID.fromString(c.org().id()), UUID.fromString(c.providerId()), creds);
    }

    private static void tick(Reconciler replica) {
        replica.tick().await().atMost(WAIT);
    }

    private boolean reconcile(ReconcileKind kind, UUID id, String sid, String claimedStatus, Account a) {
        return kind.reconcile(new Stale(id, sid, claimedStatus, a.accountSid()), a.creds()).await().atMost(WAIT);
    }

    /** A call Twilio placed and finished without a status callback (none was asked for). */
    private String finishedCall(Account a) throws Exception {
        String sid = twilio.createCall(a.creds(), callRequest(a)).await().atMost(WAIT).sid();
        simulator.callFinished(sid).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return sid;
    }

    /** A call in progress at Twilio, with no status callback. */
    private String answeredCall(Account a) {
        String sid = twilio.createCall(a.creds(), callRequest(a)).await().atMost(WAIT).sid();
        Await.until(WAIT, () -> "in-progress".equals(simulator.call(sid).orElseThrow().status()),
                "the call to be answered");
        return sid;
    }

    private CallRequest callRequest(Account a) {
        return CallRequest.of(SimAccount.randomNumber(), a.connected().number(0),
                urls.voiceOutbound(UUID.randomUUID().toString()));
    }

    /** A message Twilio sent and delivered without a status callback. */
    private String deliveredMessage(Account a) throws Exception {
        String sid = twilio.createMessage(a.creds(), MessageRequest.from(SimAccount.randomNumber(),
                a.connected().number(0), "Your table is ready")).await().atMost(WAIT).sid();
        simulator.messageFinished(sid).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        return sid;
    }

    /** A delivered message the row still holds as sent, quiet for {@code quiet}; returns its sid. */
    private String sentMessageRow(Account a, Duration quiet) throws Exception {
        String sid = deliveredMessage(a);
        insertMessage(a, sid, "sent", quiet);
        return sid;
    }

    private UUID insertCall(Account a, String sid, String status, Duration quiet) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into call (id, organization_id, sid, direction, from_number, to_number, status, created_at,
                                  updated_at, account_sid, provider_id, dispatch_state)
                values ($1, $2, $3, 'outbound', $4, $5, $6, now() - $7 * interval '1 millisecond',
                        now() - $7 * interval '1 millisecond', $8, $9, $10)""")
                .execute(Tuple.from(new Object[] {
                    id, a.organizationId(), sid, a.connected().number(0), SimAccount.randomNumber(), status,
                    quiet.toMillis(), a.accountSid(), a.providerId(), DispatchState.DONE.value()
                }))
                .await().atMost(WAIT);
        return id;
    }

    private UUID insertMessage(Account a, String sid, String status, Duration quiet) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into message (id, organization_id, sid, direction, from_number, to_number, body, status,
                                     encoding, segments, created_at, updated_at, account_sid, provider_id,
                                     dispatch_state)
                values ($1, $2, $3, 'outbound', $4, $5, 'Your table is ready', $6, 'GSM-7', 1,
                        now() - $7 * interval '1 millisecond', now() - $7 * interval '1 millisecond', $8, $9, $10)""")
                .execute(Tuple.from(new Object[] {
                    id, a.organizationId(), sid, a.connected().number(0), SimAccount.randomNumber(), status,
                    quiet.toMillis(), a.accountSid(), a.providerId(), DispatchState.DONE.value()
                }))
                .await().atMost(WAIT);
        return id;
    }

    /** The row's last event moves {@code quiet} back. */
    private void quiet(String table, UUID id, Duration quiet) {
        pool.preparedQuery("update " + table + " set updated_at = now() - $2 * interval '1 millisecond' where id = $1")
                .execute(Tuple.of(id, quiet.toMillis())).await().atMost(WAIT);
    }

    private Row row(String table, UUID id) {
        return pool.preparedQuery("select * from " + table + " where id = $1").execute(Tuple.of(id))
                .await().atMost(WAIT).iterator().next();
    }

    private List<String> statuses(Account a) {
        var statuses = new ArrayList<String>();
        pool.preparedQuery("select status from message where account_sid = $1").execute(Tuple.of(a.accountSid()))
                .await().atMost(WAIT).forEach(r -> statuses.add(r.getString("status")));
        return statuses;
    }

    private static JsonPath events(Account a, String resource, UUID id) {
        return Api.as(a.connected().org()).get("/v1/" + resource + "/" + id + "/events")
                .then().statusCode(200).extract().jsonPath();
    }

    /** How many times the sid was fetched from the simulator. */
    private long fetches(String sid) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().endsWith("/" + sid + ".json"))
                .count();
    }

    private long fetched(List<String> sids) {
        return sids.stream().filter(sid -> fetches(sid) > 0).count();
    }
}
