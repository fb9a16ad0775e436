package io.switchboard.reconcile;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Asks Twilio about the calls and messages whose last callbacks never arrived (sent while no replica was up, or
 * never sent: message callbacks are not retried), and applies what it says as a reconciled event. A Vert.x periodic
 * timer on every replica; each tick claims, with {@code for update skip locked} and a lease, the rows of every
 * {@link ReconcileKind} that stayed unfinished for {@code switchboard.reconcile.age} after their last event, fetches
 * them with their provider's credentials, a few per account at a time, and releases each with the time of its next
 * check. Everything is non-blocking and runs on the event loop; one tick at a time.
 * <p>
 * A sid Twilio does not know (404: its record was deleted, or the provider now names another account) is logged and
 * left as it is: no status is invented for it. Like every row that stays unfinished, it is asked about again later,
 * each wait as long as the row has been quiet.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    /** A claimed row, its kind and the credentials to fetch it with (null when they cannot be had). */
    private record Claimed(ReconcileKind kind, Stale row, TwilioCredentials credentials) {
    }

    private final ReconcileRepository repository;
    private final List<ReconcileKind> kinds;
    private final ProviderCredentials credentials;
    private final ReconcileConfig config;
    private final Vertx vertx;
    /** One tick at a time: its fetches may outlast the interval, and the per-account limit spans the tick. */
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile boolean failing;
    private volatile long timer = -1;

    Reconciler(ReconcileRepository repository, @All List<ReconcileKind> kinds, ProviderCredentials credentials,
            ReconcileConfig config, Vertx vertx) {
        this.repository = repository;
        this.kinds = List.copyOf(kinds);
        this.credentials = credentials;
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.interval().toMillis(), id -> tick().subscribe().with(claimed -> {
                if (failing) {
                    failing = false;
                    LOG.info("reconciliation works again");
                }
            }, failure -> {
                // Once per outage, not every tick while the database is away.
                if (!failing) {
                    failing = true;
                    LOG.warnf("reconciliation fails, retrying every tick: %s", failure.getMessage());
                }
            }));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * One tick: claims the stale rows of every kind, then fetches and applies each; completes with how many rows it
     * claimed once every one is released. A tick asked for while one runs claims nothing.
     */
    public Uni<Integer> tick() {
        return Uni.createFrom().deferred(() -> {
            if (!ticking.compareAndSet(false, true)) {
                return Uni.createFrom().item(0);
            }
            return claimAll()
                    .chain(claimed -> PerAccount.run(claimed, c -> c.row().accountSid(),
                            config.perAccountConcurrency(), this::reconcile).replaceWith(claimed.size()))
                    .eventually(() -> ticking.set(false));
        });
    }

    /** The kinds one after the other: a claim is one short statement, and its rows stay leased until released. */
    private Uni<List<Claimed>> claimAll() {
        Uni<List<Claimed>> all = Uni.createFrom().item(new ArrayList<>());
        for (ReconcileKind kind : kinds) {
            all = all.chain(claimed -> repository.claim(kind.table(), config.batchSize(), config.perAccountCap(),
                    config.age(), config.lease()).map(rows -> {
                        rows.forEach(row -> claimed.add(new Claimed(kind, new Stale(row.getUUID("id"),
                                row.getString("sid"), row.getString("status"), row.getString("account_sid")),
                                credentials(kind, row))));
                        return claimed;
                    }));
        }
        return all;
    }

    /** Never fails: what went wrong is logged, and the row is released all the same. */
    private Uni<Void> reconcile(Claimed claimed) {
        ReconcileKind kind = claimed.kind();
        Stale row = claimed.row();
        Uni<Void> work = claimed.credentials() == null ? Uni.createFrom().voidItem()
                : kind.reconcile(row, claimed.credentials())
                        .invoke(stored -> {
                            if (stored) {
                                LOG.infof("%s %s (%s): Twilio reported a status its callbacks never brought; "
                                        + "applied as reconciled", kind.noun(), row.id(), row.sid());
                            }
                        })
                        .replaceWithVoid()
                        .onFailure().recoverWithItem(failure -> {
                            logFailure(kind, row, failure);
                            return null;
                        });
        return work.chain(() -> repository.release(kind.table(), row.id(), config.age()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("%s %s: its next check could not be stored, it is checked again when its lease ends: "
                            + "%s", kind.noun(), row.id(), failure.getMessage());
                    return null;
                });
    }

    private static void logFailure(ReconcileKind kind, Stale row, Throwable failure) {
        if (failure instanceof TwilioException e && e.isNotFound()) {
            LOG.warnf("%s %s (%s) is unfinished here and unknown to Twilio; left as it is", kind.noun(), row.id(),
                    row.sid());
        } else {
            LOG.warnf("%s %s (%s): could not be reconciled, asked again later: %s", kind.noun(), row.id(), row.sid(),
                    failure.getMessage());
        }
    }

    /** Null when the account has no provider any more or its secrets no longer open; the reason is logged here. */
    private TwilioCredentials credentials(ReconcileKind kind, Row row) {
        try {
            TwilioCredentials creds = credentials.fromJoinedRow(row);
            if (creds == null) {
                LOG.warnf("%s %s: no provider of its account is connected; not reconciled", kind.noun(),
                        row.getUUID("id"));
            }
            return creds;
        } catch (RuntimeException e) {
            LOG.errorf("%s %s: the provider's credentials cannot be read: %s", kind.noun(), row.getUUID("id"),
                    e.getMessage());
            return null;
        }
    }
}
