package io.switchboard.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps an in-memory copy of some rows current: LISTENs on a PostgreSQL channel on a connection of its own, reloads in
 * full whenever that connection is (re)established — notifications sent while it was down are lost — and runs a
 * targeted reload for each notification. Reloads run one at a time in arrival order, so an older read never
 * overwrites a newer one. A reload that fails (the database briefly unreachable) is not retried in place: a full
 * reload is scheduled with back-off instead, and repeated until one succeeds, so no change is lost while the queue
 * keeps moving.
 */
public final class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    private final Vertx vertx;
    private final String channel;
    private final Supplier<Uni<Void>> reloadAll;
    private final PgSubscriber subscriber;
    private final Queue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean resyncScheduled = new AtomicBoolean();
    private final AtomicInteger resyncAttempts = new AtomicInteger();
    private volatile boolean stopped;

    /** One {@code NOTIFY} payload, {@code <table>:<uuid>}: the row of that table that changed. */
    public record Change(String table, UUID id) {

        static Change parse(String payload) {
            int sep = payload.indexOf(':');
            try {
                return sep <= 0 ? null
                        : new Change(payload.substring(0, sep), UUID.fromString(payload.substring(sep + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /**
     * @param reloadAll the full reload, run after every (re)connection and to repair a failed reload; it must reset
     *        the failure count with {@link #loadedInFull()} when it succeeds
     * @param onChange turns one change into a targeted reload, or null to ignore it
     */
    public ChangeFeed(Vertx vertx, PgConnectOptions listenOn, String channel, Supplier<Uni<Void>> reloadAll,
            Function<Change, Supplier<Uni<Void>>> onChange) {
        this.vertx = vertx;
        this.channel = channel;
        this.reloadAll = reloadAll;
        this.subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(ChangeFeed::backoffMillis);
        subscriber.channel(channel)
                .handler(payload -> {
                    var change = Change.parse(payload);
                    var reload = change == null ? null : onChange.apply(change);
                    if (reload != null) {
                        enqueue(reload);
                    } else {
                        LOG.debugf("ignoring %s notification %s", channel, payload);
                    }
                })
                .subscribeHandler(() -> enqueue(reloadAll));
    }

    /**
     * Connects the listener, retrying with back-off until it succeeds or the feed is stopped; the first subscription
     * triggers the full load.
     * <p>
     * PgSubscriber reconnects only a connection it once had: when the first connect fails (the database not up yet
     * when the replica starts) it never tries again, and a second {@code connect()} does nothing and never completes,
     * so such a replica would never load and never become ready. Each attempt therefore resets the subscriber first;
     * {@code close()} on a subscriber without a connection keeps its channels (on a connected one it would drop them,
     * hence the check).
     */
    public Uni<Void> start() {
        stopped = false;
        return Uni.createFrom().deferred(() -> stopped || subscriber.actualConnection() != null
                ? Uni.createFrom().voidItem()
                : subscriber.close().chain(subscriber::connect))
                .onFailure()
                .invoke(e -> LOG.warnf("%s: cannot listen for changes yet: %s; retrying", channel, e.getMessage()))
                .onFailure(e -> !stopped).retry()
                .withBackOff(Duration.ofMillis(backoffMillis(0)), Duration.ofMillis(backoffMillis(Integer.MAX_VALUE)))
                .indefinitely();
    }

    /** Once stopped, a feed cannot be started again: the subscriber drops its channel handlers. */
    public void stop() {
        stopped = true;
        subscriber.closeAndForget();
    }

    /** To be called by the full reload when it succeeded: the next failure starts the back-off from the beginning. */
    public void loadedInFull() {
        resyncAttempts.set(0);
    }

    /** 100 ms, doubling, at most 3 s: for reconnecting the listener and for reloads after a failure. */
    static long backoffMillis(int attempt) {
        return Math.min(100L << Math.min(attempt, 5), 3_000L);
    }

    /** Where to LISTEN: the datasource the application uses, on a connection of the feed's own. */
    public static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password) {
        var options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    private void enqueue(Supplier<Uni<Void>> reload) {
        pending.add(reload);
        drain();
    }

    private void drain() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        Supplier<Uni<Void>> next = pending.poll();
        if (next == null) {
            draining.set(false);
            if (!pending.isEmpty()) {
                drain();
            }
            return;
        }
        Uni.createFrom().deferred(next::get)
                .onFailure().invoke(e -> {
                    LOG.warnf("reload after a %s notification failed: %s; reloading everything soon", channel,
                            e.getMessage());
                    scheduleResync();
                })
                .onFailure().recoverWithNull()
                .subscribe().with(done -> {
                    draining.set(false);
                    drain();
                });
    }

    /**
     * A failed reload would otherwise lose its change until the next reconnect: the notification is gone. A full
     * reload, queued behind whatever arrives meanwhile, repairs any such loss. At most one is pending; each failure
     * lengthens the wait.
     */
    private void scheduleResync() {
        if (stopped || !resyncScheduled.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(backoffMillis(resyncAttempts.getAndIncrement()), timer -> {
            resyncScheduled.set(false);
            if (!stopped) {
                enqueue(reloadAll);
            }
        });
    }
}
