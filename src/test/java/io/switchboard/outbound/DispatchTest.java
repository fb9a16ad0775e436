package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.support.Await;
import io.switchboard.support.DirectSeed;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatch state machine against the embedded PostgreSQL, without HTTP or Twilio: a fake kind over a table of its
 * own, so the dispatcher of the running application never touches these rows.
 */
@QuarkusTest
class DispatchTest {

    private static final Duration LEASE = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final long AN_HOUR = Duration.ofHours(1).toMillis();
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Claims in these tests look no further ahead than now, with no margin, unless a test says otherwise. */
    private static final Duration AHEAD = Duration.ZERO;
    private static final double MARGIN = 0;

    /** A table with exactly the columns {@link DispatchTable} asks for, plus what the fake kind writes. */
    private static final String CREATE_TABLE = """
            create table if not exists dispatch_fake (
                id              uuid primary key,
                sid             text unique,
                status          text        not null default 'queued',
                error_code      integer,
                error_message   text,
                pace_key        text        not null,
                cost            integer     not null default 1,
                withdrawn       boolean     not null default false,
                held            boolean     not null default false,
                refused_code    integer,
                provider_id     uuid,
                created_at      timestamptz not null default clock_timestamp(),
                updated_at      timestamptz not null default now(),
                dispatch_state  text,
                next_attempt_at timestamptz not null default now(),
                claimed_until   timestamptz,
                attempts        integer     not null default 0,
                ambiguous_at    timestamptz,
                resends         integer     not null default 0,
                dispatch_error  text,
                attempted_at    timestamptz,
                ended_at        timestamptz,
                skip_reason     text
            )""";

    private static volatile UUID providerId;

    @Inject
    Dispatch dispatch;

    @Inject
    DispatchRepository repository;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    OutboundConfig outbound;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "switchboard.secrets.encryption-key")
    String encryptionKey;

    private FakeKind kind;

    @BeforeEach
    void freshTable() throws Exception {
        run(CREATE_TABLE);
        run("truncate dispatch_fake");
        run("delete from outbound_pace where key like 'fake:%'");
        if (providerId == null) {
            try (var c = dataSource.getConnection()) {
                providerId = DirectSeed.seed(c, encryptionKey, 0).providerId();
            }
        }
        kind = new FakeKind(pool);
    }

    // --- claim ------------------------------------------------------------------------------------------------------

    @Test
    void aClaimTakesTheOldestDueRowOfEachPaceKeyOnceAndMovesThePaceByItsCost() {
        UUID a1 = waiting("a");
        UUID a2 = waiting("a");
        UUID b1 = waiting("b");
        run("update dispatch_fake set cost = 3 where id = $1", b1);
        UUID unpaced = waiting("c", false);
        UUID later = waiting("d");
        run("update dispatch_fake set next_attempt_at = now() + interval '1 hour' where id = $1", later);

        var claimed = ids(claim(AN_HOUR));

        assertThat(claimed).containsExactlyInAnyOrder(a1, b1);
        for (UUID id : List.of(a1, b1)) {
            Row row = row(id);
            assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.PLACING.value());
            assertThat(row.getInteger("attempts")).isEqualTo(1);
            assertThat(row.getBoolean("leased_a_lease")).isTrue();
            assertThat(row.getOffsetDateTime("attempted_at")).isNotNull();
        }
        for (UUID id : List.of(a2, unpaced, later)) {
            assertThat(row(id).getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
            assertThat(row(id).getInteger("attempts")).isZero();
        }
        // One pace interval for a, three for b's send of cost 3.
        assertThat(paceAheadMillis("a")).isBetween(AN_HOUR - 5_000, AN_HOUR);
        assertThat(paceAheadMillis("b")).isBetween(3 * AN_HOUR - 5_000, 3 * AN_HOUR);
        // The paces moved on: a2 waits for a's next interval, and the claimed rows are no longer waiting.
        assertThat(claim(AN_HOUR)).isEmpty();
    }

    /**
     * A held row (its batch paused, its calling window closed) is passed over and takes no slot: the next row of its
     * key takes the key's slot, and a key with only held rows due is not taken at all, so it uses up no place in the
     * keys a claim serves.
     */
    @Test
    void aHeldRowIsPassedOverAndTakesNoSlot() {
        UUID held = waiting("a");
        run("update dispatch_fake set held = true where id = $1", held);
        UUID next = waiting("a");
        UUID onlyHeld = waiting("b");
        run("update dispatch_fake set held = true where id = $1", onlyHeld);
        // b's slot is the oldest, so a claim of one key would take b were its held row counted as due.
        run("update outbound_pace set next_at = now() - interval '1 hour' where key = $1",
                FakeKind.TABLE.paceKey("b"));

        var claimed = ids(list(pool.withTransaction(
                tx -> repository.claim(tx, FakeKind.TABLE, perSecond(AN_HOUR), 1, LEASE, AHEAD, MARGIN))
                .await().atMost(WAIT)));

        assertThat(claimed).containsExactly(next);
        for (UUID id : List.of(held, onlyHeld)) {
            assertThat(row(id).getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
            assertThat(row(id).getInteger("attempts")).isZero();
        }
        assertThat(paceAheadMillis("a")).isBetween(AN_HOUR - 5_000, AN_HOUR);
        assertThat(paceAheadMillis("b")).isNegative();

        // No longer held, it is claimed as usual.
        run("update dispatch_fake set held = false where id = $1", onlyHeld);
        assertThat(ids(claim(AN_HOUR))).containsExactly(onlyHeld);
    }

    @Test
    void aClaimedRowComesWithItsProviderAndTheClaimedColumns() {
        UUID id = waiting("a");
        var rows = claim(AN_HOUR);
        assertThat(rows).hasSize(1);
        Row row = rows.get(0);
        assertThat(row.getUUID("id")).isEqualTo(id);
        assertThat(row.getUUID("pr_id")).isEqualTo(providerId);
        assertThat(row.getString("label")).isEqualTo("fake a");
    }

    @Test
    void aClaimDoesNotWaitForAndNeverTakesARowAnotherClaimHolds() {
        UUID id = waiting("a");
        // The second claim runs on another connection while the first one's transaction still holds its locks.
        var both = pool
                .withTransaction(
                        first -> repository.claim(first, FakeKind.TABLE, perSecond(AN_HOUR), 50, LEASE, AHEAD, MARGIN)
                                .chain(mine -> repository
                                        .claim(pool, FakeKind.TABLE, perSecond(AN_HOUR), 50, LEASE, AHEAD, MARGIN)
                                        .map(theirs -> List.of(ids(list(mine)), ids(list(theirs))))))
                .await().atMost(WAIT);

        assertThat(both.get(0)).containsExactly(id);
        assertThat(both.get(1)).isEmpty();
        assertThat(claim(1)).isEmpty();
        assertThat(row(id).getInteger("attempts")).isEqualTo(1);
    }

    @Test
    void concurrentClaimsTakeEveryRowExactlyOnce() {
        var rows = new HashSet<UUID>();
        for (int i = 0; i < 20; i++) {
            rows.add(waiting("k" + (i % 5)));
        }
        var claimed = new ArrayList<UUID>();
        for (int round = 0; round < 20 && claimed.size() < rows.size(); round++) {
            List<Uni<List<Row>>> claims = IntStream.range(0, 8)
                    .mapToObj(i -> pool
                            .withTransaction(
                                    db -> repository.claim(db, FakeKind.TABLE, perSecond(1), 50, LEASE, AHEAD, MARGIN))
                            .map(DispatchTest::list))
                    .toList();
            Uni.join().all(claims).andFailFast().await().atMost(WAIT)
                    .forEach(batch -> claimed.addAll(ids(batch)));
        }

        assertThat(claimed).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(rows);
        assertThat(count("attempts = 1 and dispatch_state = '" + DispatchState.PLACING.value() + "'"))
                .isEqualTo(rows.size());
    }

    // --- pace -------------------------------------------------------------------------------------------------------

    /*
     * The pace is asserted on the slots the claims hand out (the database's own timestamps), never on how long the
     * test took: a slow machine makes the claims come later, not the slots closer. Tolerance: the achieved pace is
     * at least 95% of the allowed pace; it falls below that only if no claim came within claim-ahead (1 s) of the
     * next slot, i.e. both claimers stalled for a whole second.
     */

    @Test
    void twoReplicasClaimingTogetherNeverExceedThePaceInAnyOneSecondAndKeepAtLeast95PercentOfIt() throws Exception {
        double pace = 50;
        int rows = 150;
        for (int i = 0; i < rows; i++) {
            waiting("p");
        }
        var slots = new ArrayList<OffsetDateTime>();
        var claimed = new ArrayList<UUID>();
        for (int round = 0; round < 400 && claimed.size() < rows; round++) {
            List<Uni<List<Row>>> replicas = IntStream.range(0, 2)
                    .mapToObj(i -> pool.withTransaction(db -> repository.claim(db, FakeKind.TABLE, pace, 50, LEASE,
                            Duration.ofSeconds(1), 0.03)).map(DispatchTest::list))
                    .toList();
            for (var batch : Uni.join().all(replicas).andFailFast().await().atMost(WAIT)) {
                claimed.addAll(ids(batch));
                batch.forEach(r -> slots.add(r.getOffsetDateTime("pace_slot")));
            }
            Thread.sleep(50);
        }

        assertThat(claimed).doesNotHaveDuplicates().hasSize(rows);
        assertPaced(slots, pace, 0.03);
    }

    @Test
    void aProvidersOwnPaceReplacesTheDefault() {
        var table = FakeKind.TABLE.withPaceRate(io.switchboard.provider.ProviderPace.callsPerSecond("t.provider_id"));
        run("update provider set calls_per_second = 20 where id = $1", providerId);
        try {
            for (int i = 0; i < 10; i++) {
                waiting("q");
            }
            var rows = list(pool.withTransaction(db -> repository.claim(db, table, 1, 50, LEASE,
                    Duration.ofSeconds(1), 0.03)).await().atMost(WAIT));

            // 20 a second, less 3%: 51.5 ms apart, so all 10 start within the second (at the default, 1, only one).
            assertThat(rows).hasSize(10);
            var slots = rows.stream().map(r -> r.getOffsetDateTime("pace_slot")).toList();
            assertPaced(slots, 20, 0.03);
            for (int i = 1; i < slots.size(); i++) {
                assertThat(Duration.between(slots.get(i - 1), slots.get(i)).toNanos())
                        .isBetween(51_546_000L, 51_548_000L);
            }
        } finally {
            run("update provider set calls_per_second = null where id = $1", providerId);
        }
    }

    /** Never more than {@code pace} slots in any one-second window, and at least 95% of the pace overall. */
    private static void assertPaced(List<OffsetDateTime> slots, double pace, double margin) {
        var sorted = slots.stream().sorted().toList();
        long intervalNanos = (long) (1e9 / (pace * (1 - margin)));
        for (int i = 0; i < sorted.size(); i++) {
            OffsetDateTime end = sorted.get(i).plusSeconds(1);
            int first = i;
            long count = sorted.stream().filter(t -> !t.isBefore(sorted.get(first)) && t.isBefore(end)).count();
            assertThat(count).as("slots in the second from slot %d", i).isLessThanOrEqualTo((long) pace);
            if (i > 0) {
                assertThat(Duration.between(sorted.get(i - 1), sorted.get(i)).toNanos())
                        .isGreaterThanOrEqualTo(intervalNanos - 1_000);
            }
        }
        double seconds = Duration.between(sorted.get(0), sorted.get(sorted.size() - 1)).toNanos() / 1e9;
        assertThat((sorted.size() - 1) / seconds).as("achieved pace").isGreaterThanOrEqualTo(0.95 * pace);
    }

    // --- lease expiry and recheck -----------------------------------------------------------------------------------

    @Test
    void aPlacingRowWhoseLeaseRanOutIsRecheckedAsAmbiguous() {
        UUID expired = inState("a", DispatchState.PLACING);
        run("update dispatch_fake set claimed_until = now() - interval '1 second' where id = $1", expired);
        UUID leased = inState("b", DispatchState.PLACING);
        run("update dispatch_fake set claimed_until = now() + interval '1 hour' where id = $1", leased);
        UUID waiting = waiting("c");

        var rechecked = recheck();

        assertThat(ids(rechecked)).containsExactly(expired);
        assertThat(rechecked.get(0).getBoolean("grace_over")).isFalse();
        assertThat(rechecked.get(0).getBoolean("withdrawn")).isFalse();
        Row row = row(expired);
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.AMBIGUOUS.value());
        assertThat(row.getOffsetDateTime("ambiguous_at")).isNotNull();
        assertThat(row.getBoolean("leased_a_lease")).isTrue();
        assertThat(row(leased).getString("dispatch_state")).isEqualTo(DispatchState.PLACING.value());
        assertThat(row(waiting).getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
        // Rechecking holds it under a lease of its own.
        assertThat(recheck()).isEmpty();
    }

    @Test
    void anAmbiguousRowIsLookedForAgainLaterWithinTheGracePeriodAndNeverSent() {
        UUID id = ambiguousSince("a", 0);

        assertThat(dispatch.recheckDue(kind).await().atMost(WAIT)).isEqualTo(1);

        Await.until(WAIT, () -> row(id).getOffsetDateTime("claimed_until") == null, "the recheck to end");
        Row row = row(id);
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.AMBIGUOUS.value());
        // Looked for again after the test profile's recheck interval.
        assertThat(row.getLong("wait_ms")).isEqualTo(200);
        assertThat(kind.searches).hasValue(1);
        assertThat(kind.sends).hasValue(0);
    }

    @Test
    void anAmbiguousRowNotFoundAfterTheGracePeriodIsSentAgainAtMostOnce() {
        UUID id = ambiguousSince("a", 3600);
        run("update dispatch_fake set attempts = 1 where id = $1", id);

        dispatch.recheckDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> DispatchState.WAITING.value().equals(row(id).getString("dispatch_state")),
                "the row to be sent once more");
        assertThat(row(id).getInteger("resends")).isEqualTo(1);
        assertThat(row(id).getOffsetDateTime("ambiguous_at")).isNull();
        assertThat(kind.searches).hasValue(1);

        // The second send is ambiguous too.
        kind.outcome = () -> Uni.createFrom().failure(twilio(TwilioException.Kind.AMBIGUOUS, 500, 20500));
        assertThat(dispatch.sendDue(kind).await().atMost(WAIT)).isEqualTo(1);
        Await.until(WAIT, () -> DispatchState.AMBIGUOUS.value().equals(row(id).getString("dispatch_state")),
                "the second send to be ambiguous");
        assertThat(kind.sends).hasValue(1);
        assertThat(row(id).getInteger("attempts")).isEqualTo(2);

        // Still not found for the whole grace period: it fails, and is never sent a third time.
        run("""
                update dispatch_fake set ambiguous_at = now() - interval '1 hour', next_attempt_at = now()
                 where id = $1""", id);
        dispatch.recheckDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(id).getString("dispatch_state")),
                "the row to end");
        Row row = row(id);
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getString("dispatch_error")).isEqualTo(FakeKind.UNCONFIRMED);
        assertThat(row.getOffsetDateTime("ended_at")).isNotNull();
        assertThat(row.getInteger("resends")).isEqualTo(1);
        assertThat(kind.searches).hasValue(2);
        run("update outbound_pace set next_at = now() where key like 'fake:%'");
        assertThat(dispatch.sendDue(kind).await().atMost(WAIT)).isZero();
        assertThat(kind.sends).hasValue(1);
    }

    @Test
    void aKindThatDoesNotResendFailsAnUnfoundRowAfterTheGracePeriod() {
        kind.resends = 0;
        UUID id = ambiguousSince("a", 3600);

        dispatch.recheckDue(kind).await().atMost(WAIT);

        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(id).getString("dispatch_state")),
                "the row to end");
        assertThat(row(id).getString("status")).isEqualTo("failed");
        assertThat(row(id).getInteger("resends")).isZero();
    }

    @Test
    void anAmbiguousRowACallbackNamedOrTwilioListsIsDone() {
        UUID named = ambiguousSince("a", 0);
        run("update dispatch_fake set sid = 'SMnamed' where id = $1", named);
        UUID listed = ambiguousSince("b", 0);
        kind.found = "SMlisted";

        assertThat(dispatch.recheckDue(kind).await().atMost(WAIT)).isEqualTo(2);

        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(named).getString("dispatch_state"))
                && DispatchState.DONE.value().equals(row(listed).getString("dispatch_state")), "both rows to be done");
        assertThat(row(named).getString("sid")).isEqualTo("SMnamed");
        assertThat(row(listed).getString("sid")).isEqualTo("SMlisted");
        // The named one was not looked for.
        assertThat(kind.searches).hasValue(1);
        assertThat(kind.sends).hasValue(0);
    }

    @Test
    void aSearchThatFailsIsRepeatedLaterNeverTakenForNotFound() {
        UUID id = ambiguousSince("a", 3600);
        kind.search = () -> Uni.createFrom().failure(new IllegalStateException("Twilio is away"));

        dispatch.recheckDue(kind).await().atMost(WAIT);

        Await.until(WAIT, () -> row(id).getOffsetDateTime("claimed_until") == null, "the recheck to end");
        assertThat(row(id).getString("dispatch_state")).isEqualTo(DispatchState.AMBIGUOUS.value());
        assertThat(row(id).getInteger("resends")).isZero();
        assertThat(row(id).getLong("wait_ms")).isEqualTo(200);
    }

    // --- sending and its failures -----------------------------------------------------------------------------------

    @Test
    void aCreatedSendIsDone() {
        UUID id = waiting("a");
        kind.outcome = () -> Uni.createFrom().item("SMcreated");

        dispatch.sendDue(kind).await().atMost(WAIT);

        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(id).getString("dispatch_state")), "done");
        assertThat(row(id).getString("sid")).isEqualTo("SMcreated");
        assertThat(row(id).getOffsetDateTime("claimed_until")).isNull();
    }

    @Test
    void aSendTwilioDidNotProcessGoesBackToWaitingAfterABackOffThatDoubles() {
        UUID id = waiting("a");
        kind.outcome = () -> Uni.createFrom().failure(twilio(TwilioException.Kind.RETRYABLE, 429, 20429));

        dispatch.sendDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> row(id).getString("dispatch_error") != null, "the back-off");
        Row first = row(id);
        assertThat(first.getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
        assertThat(first.getOffsetDateTime("claimed_until")).isNull();
        // The test profile's retry back-off is 200 ms.
        assertThat(first.getLong("wait_ms")).isEqualTo(200);

        run("update dispatch_fake set next_attempt_at = now(), dispatch_error = null where id = $1", id);
        run("update outbound_pace set next_at = now() where key like 'fake:%'");
        dispatch.sendDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> row(id).getString("dispatch_error") != null, "the second back-off");
        Row second = row(id);
        assertThat(second.getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
        assertThat(second.getInteger("attempts")).isEqualTo(2);
        assertThat(second.getLong("wait_ms")).isEqualTo(400);
        assertThat(kind.sends).hasValue(2);
    }

    @Test
    void aWithdrawnSendEndsCanceledInsteadOfWaitingOrBeingSentAgain() {
        // Withdrawn while it was being placed: the claim is left to finish, and it is not placed later.
        UUID backedOff = waiting("a");
        kind.outcome = () -> pool.preparedQuery("update dispatch_fake set withdrawn = true where id = $1")
                .execute(Tuple.of(backedOff))
                .chain(() -> Uni.createFrom().failure(twilio(TwilioException.Kind.RETRYABLE, 429, 20429)));
        dispatch.sendDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(backedOff).getString("dispatch_state")),
                "the withdrawn row to end");
        assertThat(row(backedOff).getString("status")).isEqualTo("canceled");
        assertThat(row(backedOff).getOffsetDateTime("ended_at")).isNotNull();

        // An ambiguous one never found is canceled after the grace period, not sent again.
        UUID unfound = ambiguousSince("b", 3600);
        run("update dispatch_fake set withdrawn = true where id = $1", unfound);
        dispatch.recheckDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(unfound).getString("dispatch_state")),
                "the unfound row to end");
        assertThat(row(unfound).getString("status")).isEqualTo("canceled");
        assertThat(row(unfound).getInteger("resends")).isZero();
        assertThat(kind.sends).hasValue(1);
    }

    @Test
    void aSendWithdrawnWhileItWaitedIsNeverClaimedAndEndsCanceled() {
        UUID withdrawn = waiting("a");
        run("update dispatch_fake set withdrawn = true where id = $1", withdrawn);
        UUID next = waiting("a");

        var claimed = ids(claim(AN_HOUR));

        assertThat(claimed).containsExactly(next);
        Row row = row(withdrawn);
        assertThat(row.getString("status")).isEqualTo("canceled");
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.DONE.value());
        assertThat(row.getInteger("attempts")).isZero();
        assertThat(row.getOffsetDateTime("ended_at")).isNotNull();
    }

    @Test
    void aSendWithdrawnDuringItsLastSearchIsCanceledNotSentAgain() {
        // The recheck reads "not withdrawn"; the batch is canceled while Twilio is searched, which finds nothing.
        UUID id = ambiguousSince("a", 3600);
        kind.search = () -> pool.preparedQuery("update dispatch_fake set withdrawn = true where id = $1")
                .execute(Tuple.of(id)).replaceWith((String) null);

        dispatch.recheckDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> !DispatchState.AMBIGUOUS.value().equals(row(id).getString("dispatch_state")),
                "the unfound row to move on");
        dispatch.sendDue(kind).await().atMost(WAIT);

        Row row = row(id);
        assertThat(row.getString("status")).isEqualTo("canceled");
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.DONE.value());
        assertThat(kind.sends).hasValue(0);
    }

    @Test
    void anOutcomeArrivingAfterTheRowMovedOnToAnotherAttemptChangesNothing() {
        // Attempt 1's create is answered only after its lease ran out and the row was reconciled, sent again and
        // claimed as attempt 2: the late 429 must not put attempt 2 back to waiting, where it would be sent a third
        // time while attempt 2's create is still under way.
        var late = new CompletableFuture<String>();
        kind.outcome = () -> Uni.createFrom().completionStage(late);
        UUID id = waiting("a");
        dispatch.sendDue(kind).await().atMost(WAIT);
        Await.until(WAIT, () -> kind.sends.get() == 1, "attempt 1 to be sent");
        run("update dispatch_fake set attempts = 2, claimed_until = now() + interval '1 minute' where id = $1", id);

        late.completeExceptionally(twilio(TwilioException.Kind.RETRYABLE, 429, 20429));
        repository.markAmbiguous(FakeKind.TABLE, id, 1, Duration.ofSeconds(1), "late").await().atMost(WAIT);
        repository.fail(pool, FakeKind.TABLE, id, 1, 1, "late").await().atMost(WAIT);
        repository.release(FakeKind.TABLE, id, 1).await().atMost(WAIT);
        repository.cancel(FakeKind.TABLE, id, 1).await().atMost(WAIT);
        repository.withhold(FakeKind.TABLE, id, 1, "late").await().atMost(WAIT);

        Await.until(WAIT, () -> dispatch.underLease().running() == 0, "attempt 1's outcome to be stored");
        Row row = row(id);
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.PLACING.value());
        assertThat(row.getInteger("attempts")).isEqualTo(2);
        assertThat(row.getString("status")).isEqualTo("queued");
        assertThat(row.getString("dispatch_error")).isNull();
        assertThat(row.getString("skip_reason")).isNull();
    }

    @Test
    void aRefusedSendFailsWithWhatTheKindMakesOfItInOneTransaction() {
        UUID id = waiting("a");
        kind.outcome = () -> Uni.createFrom().failure(twilio(TwilioException.Kind.PERMANENT, 400, 21211));

        dispatch.sendDue(kind).await().atMost(WAIT);

        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(id).getString("dispatch_state")), "the end");
        Row row = row(id);
        assertThat(row.getString("status")).isEqualTo("failed");
        assertThat(row.getInteger("error_code")).isEqualTo(21211);
        assertThat(row.getInteger("refused_code")).isEqualTo(21211);
        assertThat(row.getString("dispatch_error")).isEqualTo("refused (21211)");
        assertThat(row.getString("error_message")).as("what the code means, since Twilio's words are not known")
                .isEqualTo("Invalid 'To' Phone Number (https://www.twilio.com/docs/api/errors/21211)");
        assertThat(row.getOffsetDateTime("ended_at")).isNotNull();
    }

    @Test
    void aSendWhoseProviderIsGoneFailsWithoutBeingSent() {
        UUID id = waiting("a");
        run("update dispatch_fake set provider_id = null where id = $1", id);

        dispatch.sendDue(kind).await().atMost(WAIT);

        Await.until(WAIT, () -> DispatchState.DONE.value().equals(row(id).getString("dispatch_state")), "the end");
        assertThat(row(id).getString("status")).isEqualTo("failed");
        assertThat(row(id).getString("dispatch_error"))
                .isEqualTo("the provider of this fake send is gone or its credentials cannot be read");
        assertThat(kind.sends).hasValue(0);
    }

    @Test
    void aLateAmbiguousOutcomeDoesNotUndoWhatHappenedMeanwhile() {
        UUID id = inState("a", DispatchState.DONE);
        run("update dispatch_fake set sid = 'SMdone' where id = $1", id);

        repository.markAmbiguous(FakeKind.TABLE, id, 0, Duration.ofSeconds(1), "late").await().atMost(WAIT);
        repository.backOff(FakeKind.TABLE, id, 0, Duration.ofSeconds(1), "late").await().atMost(WAIT);
        repository.fail(pool, FakeKind.TABLE, id, 0, 1, "late").await().atMost(WAIT);

        Row row = row(id);
        assertThat(row.getString("dispatch_state")).isEqualTo(DispatchState.DONE.value());
        assertThat(row.getString("status")).isEqualTo("queued");
        assertThat(row.getString("dispatch_error")).isNull();
    }

    // --- shutdown ---------------------------------------------------------------------------------------------------

    @Test
    void aStoppingDispatcherClaimsNothingMoreAndWaitsForWhatItStartedToStoreItsOutcome() throws Exception {
        var release = new CompletableFuture<String>();
        kind.outcome = () -> Uni.createFrom().completionStage(release);
        UUID started = waiting("a");
        var dispatcher = new OutboundDispatcher(dispatch, List.of(kind), outbound, shutdown(), vertx);
        dispatcher.tick();
        Await.until(WAIT, () -> kind.sends.get() == 1, "the send to start");
        UUID due = waiting("b");

        // The send is held: the wait is bounded, and reports it still running.
        assertThat(dispatcher.stopClaiming(Duration.ofMillis(200))).isPositive();
        dispatcher.tick();
        // Waits for that tick too: had it claimed, the row would be placing by now.
        dispatcher.stopClaiming(Duration.ofMillis(200));
        assertThat(row(due).getString("dispatch_state")).isEqualTo(DispatchState.WAITING.value());
        assertThat(row(due).getInteger("attempts")).isZero();
        assertThat(kind.sends).hasValue(1);

        var stopped = CompletableFuture.supplyAsync(() -> dispatcher.stopClaiming(WAIT));
        release.complete("SMheld");
        stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        // Stored before the wait returned, not some time later.
        assertThat(row(started).getString("dispatch_state")).isEqualTo(DispatchState.DONE.value());
        assertThat(row(started).getString("sid")).isEqualTo("SMheld");
    }

    private static ShutdownConfig shutdown() {
        return new ShutdownConfig() {
            @Override
            public Duration outboundTimeout() {
                return WAIT;
            }

            @Override
            public Duration inboundTimeout() {
                return WAIT;
            }
        };
    }

    /**
     * A claim's commit that waits (here 400 ms, as a commit does while PostgreSQL flushes a busy WAL) must not move
     * the slots after it: each send is timed from the claim's answer, so the slots that start after the commit are
     * sent on time. Timed from the commit's answer, every send left 400 ms after its slot, and the sends of the next
     * claim, committed quicker, crowded into the same second. Tolerance: 150 ms for a busy machine's timers.
     */
    @Test
    void aSlowCommitDelaysOnlyTheSendsWhoseSlotsItOutlasted() {
        kind.perSecond = 10;
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(waiting("slow"));
        }
        run("""
                create or replace function dispatch_fake_slow_commit() returns trigger language plpgsql as $$
                begin
                    if current_setting('dispatch_fake.slept', true) is distinct from 'yes' then
                        perform set_config('dispatch_fake.slept', 'yes', true);
                        perform pg_sleep(0.4);
                    end if;
                    return null;
                end $$""");
        run("""
                create constraint trigger dispatch_fake_slow_commit after update on dispatch_fake
                deferrable initially deferred for each row execute function dispatch_fake_slow_commit()""");
        try {
            Integer claimed = dispatch.sendDue(kind).await().atMost(WAIT);
            assertThat(claimed).as("every slot starts within claim-ahead").isEqualTo(ids.size());
            // A slot the commit outlasted by more than late-limit is given up (its row waits again), the rest sent.
            Await.until(WAIT, () -> ids.stream().noneMatch(id -> DispatchState.PLACING.value()
                    .equals(row(id).getString("dispatch_state"))), "every claimed row sent or given up");
        } finally {
            run("drop trigger dispatch_fake_slow_commit on dispatch_fake");
        }
        var slots = ids.stream().map(id -> row(id).getOffsetDateTime("attempted_at").toInstant()).sorted().toList();
        Instant first = slots.get(0);
        for (UUID id : ids) {
            Instant slot = row(id).getOffsetDateTime("attempted_at").toInstant();
            Instant sent = kind.sentAt.get(id);
            if (Duration.between(first, slot).toMillis() < 500 && sent == null) {
                continue;
            }
            assertThat(sent).as("a send whose slot came after the commit").isNotNull();
            Duration late = Duration.between(slot, sent);
            assertThat(late.isNegative()).as("sent before its slot").isFalse();
            if (Duration.between(first, slot).toMillis() >= 500) {
                assertThat(late).as("a send whose slot came after the commit").isLessThan(Duration.ofMillis(150));
            }
        }
    }

    // --- the fake kind and helpers ----------------------------------------------------------------------------------

    /** Sends nothing anywhere: each outcome is what the test sets, and every call is counted. */
    static final class FakeKind implements DispatchKind {

        static final DispatchTable TABLE = DispatchTable.of("dispatch_fake", "fake:", "pace_key")
                .withPaceCost("t.cost")
                .withClaimedColumns("'fake ' || t.pace_key as label")
                .withdrawnWhen("t.withdrawn")
                .heldWhen("t.held")
                .timingAttempts()
                .timingEnds();
        static final String UNCONFIRMED = "not confirmed, not found";

        private final Pool pool;
        final AtomicInteger sends = new AtomicInteger();
        /** When each row was sent. */
        final Map<UUID, Instant> sentAt = new ConcurrentHashMap<>();
        volatile double perSecond = 1000;
        final AtomicInteger searches = new AtomicInteger();
        volatile Supplier<Uni<String>> outcome = () -> Uni.createFrom().item("SM" + UUID.randomUUID());
        volatile Supplier<Uni<String>> search = () -> Uni.createFrom().nullItem();
        volatile String found;
        volatile int resends = 1;

        FakeKind(Pool pool) {
            this.pool = pool;
        }

        @Override
        public DispatchTable table() {
            return TABLE;
        }

        @Override
        public double perSecond() {
            return perSecond;
        }

        @Override
        public String noun() {
            return "fake send";
        }

        @Override
        public Uni<String> send(Row row, TwilioCredentials credentials) {
            sentAt.put(row.getUUID("id"), Instant.now());
            sends.incrementAndGet();
            return outcome.get();
        }

        @Override
        public Uni<Void> created(UUID id, String sid) {
            return pool.preparedQuery(DispatchState.inline("""
                    update dispatch_fake set sid = coalesce(sid, $2), dispatch_state = {done}, claimed_until = null
                     where id = $1""")).execute(Tuple.of(id, sid)).replaceWithVoid();
        }

        @Override
        public Uni<Void> refused(SqlClient db, Row row, Integer code) {
            return db.preparedQuery("update dispatch_fake set refused_code = $2 where id = $1")
                    .execute(Tuple.of(row.getUUID("id"), code)).replaceWithVoid();
        }

        @Override
        public boolean searchesTwilio() {
            return true;
        }

        @Override
        public Uni<String> adopt(Row row, TwilioCredentials credentials) {
            searches.incrementAndGet();
            if (found == null) {
                return search.get();
            }
            return created(row.getUUID("id"), found).replaceWith(found);
        }

        @Override
        public int resendsAfterGrace() {
            return resends;
        }

        @Override
        public String unconfirmedError() {
            return UNCONFIRMED;
        }
    }

    private static TwilioException twilio(TwilioException.Kind what, int status, int code) {
        return new TwilioException(what, status, code, "refused (" + code + ")", null);
    }

    /** A waiting row of the pace key, whose pace row exists and is due. */
    private UUID waiting(String key) {
        return waiting(key, true);
    }

    private UUID waiting(String key, boolean paced) {
        UUID id = inState(key, DispatchState.WAITING);
        if (paced) {
            run("insert into outbound_pace (key, next_at) values ($1, now()) on conflict do nothing",
                    FakeKind.TABLE.paceKey(key));
        }
        return id;
    }

    private UUID inState(String key, DispatchState state) {
        UUID id = UUID.randomUUID();
        run("insert into dispatch_fake (id, pace_key, provider_id, dispatch_state) values ($1, $2, $3, $4)", id, key,
                providerId, state.value());
        return id;
    }

    private UUID ambiguousSince(String key, int secondsAgo) {
        UUID id = waiting(key);
        run("""
                update dispatch_fake set dispatch_state = $2, ambiguous_at = now() - $3 * interval '1 second'
                 where id = $1""", id, DispatchState.AMBIGUOUS.value(), secondsAgo);
        return id;
    }

    private List<Row> claim(long paceMillis) {
        return list(pool
                .withTransaction(
                        tx -> repository.claim(tx, FakeKind.TABLE, perSecond(paceMillis), 50, LEASE, AHEAD, MARGIN))
                .await().atMost(WAIT));
    }

    /** The pace whose interval is {@code paceMillis}. */
    private static double perSecond(long paceMillis) {
        return 1000.0 / paceMillis;
    }

    private List<Row> recheck() {
        return list(pool.withTransaction(tx -> repository.recheck(tx, FakeKind.TABLE, 50, LEASE, GRACE))
                .await().atMost(WAIT));
    }

    private Row row(UUID id) {
        return pool.preparedQuery("""
                select *, claimed_until > now() + interval '50 seconds' as leased_a_lease,
                       (extract(epoch from next_attempt_at - updated_at) * 1000)::bigint as wait_ms
                  from dispatch_fake where id = $1""").execute(Tuple.of(id)).await().atMost(WAIT)
                .iterator().next();
    }

    private long paceAheadMillis(String key) {
        return pool.preparedQuery("""
                select (extract(epoch from next_at - now()) * 1000)::bigint as ahead
                  from outbound_pace where key = $1""")
                .execute(Tuple.of(FakeKind.TABLE.paceKey(key))).await().atMost(WAIT)
                .iterator().next().getLong("ahead");
    }

    private long count(String condition) {
        return pool.query("select count(*) as n from dispatch_fake where " + condition).execute().await().atMost(WAIT)
                .iterator().next().getLong("n");
    }

    private void run(String sql, Object... args) {
        var statement = args.length == 0 ? pool.query(sql).execute()
                : pool.preparedQuery(sql).execute(Tuple.from(args));
        statement.await().atMost(WAIT);
    }

    private static List<Row> list(RowSet<Row> rows) {
        var list = new ArrayList<Row>();
        rows.forEach(list::add);
        return list;
    }

    private static List<UUID> ids(List<Row> rows) {
        return rows.stream().map(r -> r.getUUID("id")).toList();
    }
}
