package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.SecretDecryptionException;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.TwilioCredentials;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.UUID;
import java.util.function.Function;
import org.jboss.logging.Logger;

/**
 * Sends the queued rows of a {@link DispatchKind}, each at most once.
 * <p>
 * The never-twice rule: a row is sent to Twilio only from {@code waiting}, and a claim moves it to {@code placing}
 * first. Only an answer that proves Twilio did nothing (429 / 20429, no connection, breaker open) returns it to
 * {@code waiting}, unless its send was withdrawn meanwhile (its batch canceled): then it ends {@code canceled}. A 5xx
 * or timeout on the create, or a claim whose lease ran out (its replica died mid-create), makes it {@code ambiguous}:
 * then it is reconciled, by the sid a status callback attaches (its URL names the row) or, for a kind that
 * {@linkplain DispatchKind#searchesTwilio() can search}, by looking for it in Twilio and adopting what no row owns yet.
 * Only when nothing turned up for the whole grace period ({@code switchboard.outbound.reconcile-grace}) is it sent
 * again, as many times as the kind allows ({@link DispatchKind#resendsAfterGrace()}, at most once); an ambiguous row
 * that stays unfound after that ends {@code failed}. A row whose provider's secrets this replica cannot decrypt (a key
 * rotation under way) is never failed for it: it goes back to waiting with the same bounded back-off, for a replica
 * that reads the key.
 * <p>
 * The pace: a claim takes the rows whose pace slots start within {@code switchboard.outbound.claim-ahead}, and each
 * waits here, on a Vert.x timer, for its slot. Slots are laid end to end per pace key in the database, so every
 * replica together sends at most the pace, less its margin; a send whose timer fires more than
 * {@code switchboard.outbound.late-limit} after its slot (a stalled replica) is not made, and its row waits for a
 * later slot.
 */
@ApplicationScoped
class Dispatch {

    private static final Logger LOG = Logger.getLogger(Dispatch.class);

    private final DispatchRepository repository;
    private final Pool pool;
    private final ProviderCredentials credentials;
    private final OutboundConfig config;
    private final Vertx vertx;
    private final DispatchMetrics metrics;
    /** The sends and reconciliations started here and not yet finished, which a shutdown waits for. */
    private final InFlight underLease = new InFlight();

    Dispatch(DispatchRepository repository, Pool pool, ProviderCredentials credentials, OutboundConfig config,
            Vertx vertx, DispatchMetrics metrics) {
        this.metrics = metrics;
        this.repository = repository;
        this.pool = pool;
        this.credentials = credentials;
        this.config = config;
        this.vertx = vertx;
    }

    /**
     * Claims the kind's rows whose pace slots start soon and starts sending each at its slot; completes once they are
     * claimed.
     */
    Uni<Integer> sendDue(DispatchKind kind) {
        return pool.withTransaction(db -> repository.claim(db, kind.table(), kind.perSecond(), config.claimLimit(),
                config.lease(), config.claimAhead(), config.paceMargin())
                .map(rows -> new Claim(rows, System.nanoTime())))
                .map(claim -> {
                    metrics.claimed(kind, claim.rows().size());
                    countAllowedPace(kind, claim.rows());
                    return startUnderLease(kind, claim.rows(), row -> send(kind, row, claim.answeredAt()),
                            "storing the outcome");
                });
    }

    /**
     * Claimed rows and when the claim's answer came ({@link System#nanoTime()}), before its commit: each row's
     * {@code send_in_ms} counts from the database's clock as it answered, so the slots are timed from then. Timed
     * from the commit's answer instead, every slot would move later by the commit's wait for the disk (tens to
     * hundreds of ms when PostgreSQL is writing callbacks), by a different amount per claim, and two claims' sends
     * would crowd into one second. The answer comes after the database read its clock, so no send leaves early.
     */
    private record Claim(RowSet<Row> rows, long answeredAt) {
    }

    /** Every row of a pace key carries the pace the key allowed in this claim: counted once per key. */
    private void countAllowedPace(DispatchKind kind, RowSet<Row> claimed) {
        var keys = new HashSet<String>();
        for (Row row : claimed) {
            if (keys.add(row.getString("slot_key"))) {
                metrics.paceAllowed(kind, row.getString("pr_account_sid"), row.getDouble("slot_key_allowed"));
            }
        }
    }

    /** Claims the kind's ambiguous rows due for a recheck, and starts reconciling each. */
    Uni<Integer> recheckDue(DispatchKind kind) {
        return pool.withTransaction(db -> repository.recheck(db, kind.table(), config.claimLimit(), config.lease(),
                config.reconcileGrace()))
                .map(claimed -> startUnderLease(kind, claimed, row -> reconcile(kind, row), "reconciling"));
    }

    /** The work started on claimed rows that has not finished yet (its outcome not stored). */
    InFlight underLease() {
        return underLease;
    }

    /**
     * Starts the work on every claimed row and returns how many there are. The work runs on after the tick, under
     * the row's lease: a failure to store its outcome is logged here and repaired when the lease runs out.
     */
    private int startUnderLease(DispatchKind kind, RowSet<Row> rows, Function<Row, Uni<Void>> work, String step) {
        var claimed = new ArrayList<Row>();
        rows.forEach(claimed::add);
        claimed.forEach(row -> underLease.track(work.apply(row)).subscribe().with(ok -> {},
                failure -> LOG.errorf("outbound %s %s: %s failed, tried again when its lease ends: %s", kind.noun(),
                        row.getUUID("id"), step, failure.getMessage())));
        return claimed.size();
    }

    /**
     * Opens the credentials at once, then sends at the row's slot, {@code send_in_ms} after {@code answeredAt}; the
     * claim has committed by the time this runs.
     */
    private Uni<Void> send(DispatchKind kind, Row row, long answeredAt) {
        UUID id = row.getUUID("id");
        String withheld = kind.withheld(row);
        if (withheld != null) {
            LOG.infof("outbound %s %s: not sent (%s)", kind.noun(), id, withheld);
            return repository.withhold(kind.table(), id, row.getInteger("attempts"), withheld);
        }
        TwilioCredentials creds;
        try {
            creds = credentials(kind, row);
        } catch (SecretDecryptionException e) {
            return failed(kind, row, e);
        }
        if (creds == null) {
            return fail(kind, row, null,
                    "the provider of this " + kind.noun() + " is gone or its credentials cannot be read");
        }
        long slotAt = answeredAt + row.getLong("send_in_ms") * 1_000_000;
        return atSlot(slotAt).chain(late -> {
            if (late > config.lateLimit().toNanos()) {
                LOG.debugf("outbound %s %s: %d ms past its pace slot; waiting for the next one", kind.noun(), id,
                        late / 1_000_000);
                return repository.release(kind.table(), id, row.getInteger("attempts"));
            }
            metrics.paceUsed(kind, row.getString("pr_account_sid"), ((Number) row.getValue("slot_cost")).doubleValue());
            return kind.send(row, creds)
                    .onItemOrFailure().transformToUni((sid, failure) -> failure == null
                            ? kind.created(id, sid)
                            : failed(kind, row, failure));
        });
    }

    /** Completes at {@code slotAt} (a {@link System#nanoTime()}) or at once when it has passed, with how late. */
    private Uni<Long> atSlot(long slotAt) {
        long wait = slotAt - System.nanoTime();
        if (wait < 1_000_000) {
            return Uni.createFrom().item(() -> System.nanoTime() - slotAt);
        }
        // Rounded up: a timer never fires early, so a send never leaves before its slot.
        return Uni.createFrom().<Long>emitter(e -> vertx.setTimer((wait + 999_999) / 1_000_000,
                timer -> e.complete(System.nanoTime() - slotAt)));
    }

    private Uni<Void> failed(DispatchKind kind, Row row, Throwable failure) {
        UUID id = row.getUUID("id");
        int attempt = row.getInteger("attempts");
        return switch (Failure.of(failure)) {
            case RETRY -> {
                Duration wait = Backoff.after(failure, row.getInteger("attempts"), config.retryBackoff());
                LOG.warnf("outbound %s %s: not processed by Twilio (%s); again in %d ms", kind.noun(), id,
                        failure.getMessage(), wait.toMillis());
                yield repository.backOff(kind.table(), id, attempt, wait, failure.getMessage());
            }
            case AMBIGUOUS -> {
                metrics.ambiguous(kind);
                LOG.warnf("outbound %s %s: Twilio may have created it (%s); reconciling, not resending", kind.noun(),
                        id, failure.getMessage());
                yield repository.markAmbiguous(kind.table(), id, attempt, config.recheckInterval(),
                        failure.getMessage());
            }
            case PERMANENT -> refused(kind, row, Failure.code(failure), failure.getMessage(), Failure.message(failure));
            case UNREADABLE -> {
                Duration wait = Backoff.after(failure, row.getInteger("attempts"), config.retryBackoff());
                String error = "the provider's credentials cannot be decrypted by this replica (" + failure.getMessage()
                        + "); waiting for one that can";
                LOG.warnf("outbound %s %s: %s; again in %d ms", kind.noun(), id, error, wait.toMillis());
                yield repository.backOff(kind.table(), id, attempt, wait, error);
            }
        };
    }

    /** Twilio refused the row: what the kind makes of that and the row's end are one transaction. */
    private Uni<Void> refused(DispatchKind kind, Row row, Integer code, String error, String errorMessage) {
        UUID id = row.getUUID("id");
        LOG.warnf("outbound %s %s: refused by Twilio (%s)", kind.noun(), id, code);
        return pool.withTransaction(db -> kind.refused(db, row, code)
                .chain(() -> repository.fail(db, kind.table(), id, row.getInteger("attempts"), code, error,
                        errorMessage)));
    }

    private Uni<Void> fail(DispatchKind kind, Row row, Integer code, String error) {
        UUID id = row.getUUID("id");
        LOG.warnf("outbound %s %s: failed (%s)", kind.noun(), id, code);
        return repository.fail(pool, kind.table(), id, row.getInteger("attempts"), code, error);
    }

    private Uni<Void> reconcile(DispatchKind kind, Row row) {
        UUID id = row.getUUID("id");
        String sid = row.getString("sid");
        if (sid != null) {
            // A status callback named the row before the create's answer came back.
            metrics.reconciled(kind, DispatchMetrics.Outcome.CALLBACK);
            return kind.created(id, sid);
        }
        if (!kind.searchesTwilio()) {
            return unfound(kind, row);
        }
        TwilioCredentials creds;
        try {
            creds = credentials(kind, row);
        } catch (SecretDecryptionException e) {
            LOG.warnf("outbound %s %s: the provider's credentials cannot be decrypted by this replica (%s); checking "
                    + "again later", kind.noun(), id, e.getMessage());
            metrics.reconciled(kind, DispatchMetrics.Outcome.CHECK_FAILED);
            return repository.recheckLater(kind.table(), id, row.getInteger("attempts"), config.recheckInterval());
        }
        if (creds == null) {
            metrics.reconciled(kind, DispatchMetrics.Outcome.FAILED);
            return fail(kind, row, null,
                    "the provider of this " + kind.noun() + " is gone; whether Twilio placed it is unknown");
        }
        return kind.adopt(row, creds)
                .chain(adopted -> {
                    if (adopted != null) {
                        LOG.infof("outbound %s %s: the ambiguous create exists as %s; adopted", kind.noun(), id,
                                adopted);
                        metrics.reconciled(kind, DispatchMetrics.Outcome.ADOPTED);
                        return Uni.createFrom().voidItem();
                    }
                    return unfound(kind, row);
                })
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("outbound %s %s: could not look for it in Twilio (%s); checking again later",
                            kind.noun(), id, failure.getMessage());
                    metrics.reconciled(kind, DispatchMetrics.Outcome.CHECK_FAILED);
                    return repository.recheckLater(kind.table(), id, row.getInteger("attempts"),
                            config.recheckInterval());
                });
    }

    /** Nothing in Twilio names the ambiguous row (yet). */
    private Uni<Void> unfound(DispatchKind kind, Row row) {
        UUID id = row.getUUID("id");
        int attempt = row.getInteger("attempts");
        if (!Boolean.TRUE.equals(row.getBoolean("grace_over"))) {
            metrics.reconciled(kind, DispatchMetrics.Outcome.NOT_FOUND_YET);
            return repository.recheckLater(kind.table(), id, attempt, config.recheckInterval());
        }
        if (Boolean.TRUE.equals(row.getBoolean("withdrawn"))) {
            LOG.infof("outbound %s %s: never created, and withdrawn", kind.noun(), id);
            metrics.reconciled(kind, DispatchMetrics.Outcome.CANCELED);
            return repository.cancel(kind.table(), id, attempt);
        }
        // Only a kind that resends has the resends column. The resend reads the withdrawal again: this one is from
        // before the search.
        if (kind.resendsAfterGrace() > 0 && row.getInteger("resends") < kind.resendsAfterGrace()) {
            LOG.warnf("outbound %s %s: not in Twilio after the grace period; sending it once more", kind.noun(), id);
            metrics.reconciled(kind, DispatchMetrics.Outcome.SENT_AGAIN);
            return repository.resend(kind.table(), id, attempt, row.getInteger("resends"));
        }
        metrics.reconciled(kind, DispatchMetrics.Outcome.FAILED);
        return fail(kind, row, null, kind.unconfirmedError());
    }

    /**
     * Null when the provider is gone (the row outlives it) or its stored configuration is broken: the row cannot be
     * sent, and the reason is logged here.
     *
     * @throws SecretDecryptionException when its secrets are sealed under a key this replica does not read: the row
     *         is not lost, another replica (or this one later) can send it
     */
    private TwilioCredentials credentials(DispatchKind kind, Row row) {
        try {
            return credentials.fromJoinedRow(row);
        } catch (SecretDecryptionException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.errorf("outbound %s %s: the provider's credentials cannot be read: %s", kind.noun(), row.getUUID("id"),
                    e.getMessage());
            return null;
        }
    }
}
