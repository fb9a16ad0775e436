package io.switchboard.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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
 * <p>
 * A listening connection can look alive and hear nothing: half-open, its backend stopped, or a transaction-mode
 * pooler in between. So the feed notifies its own channel through the pool every heartbeat interval, and when that
 * heartbeat has not come back within the timeout it closes the connection, which reconnects and reloads in full. A
 * full reload also runs every {@code fullReloadInterval} while listening, as a backstop for whatever a feed missed.
 */
public final class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    /** Payload prefix of heartbeats; every feed on the channel hears every replica's and ignores all but its own. */
    static final String HEARTBEAT = "heartbeat:";

    private final Vertx vertx;
    private final Pool pool;
    private final Timing timing;
    private final String channel;
    private final Supplier<Uni<Void>> reloadAll;
    private final PgSubscriber subscriber;
    /** The heartbeat sent and not heard back yet, or null. */
    private final AtomicReference<Beat> awaited = new AtomicReference<>();
    private final AtomicLong heartbeatsMissed = new AtomicLong();
    private final AtomicBoolean timersStarted = new AtomicBoolean();
    private volatile long heartbeatTimer = -1;
    private volatile long reloadTimer = -1;
    private final Queue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean resyncScheduled = new AtomicBoolean();
    private final AtomicInteger resyncAttempts = new AtomicInteger();
    private volatile boolean stopped;
    /**
     * When the copy was last known current: a reload applied with none failed since the last full one. Until the
     * first load, when the feed was created.
     */
    private volatile long currentAtNanos = System.nanoTime();
    /** A reload failed and no full reload has succeeded since: the copy may lack a change. */
    private volatile boolean behind;

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
     * How a feed watches its connection.
     *
     * @param heartbeatInterval how often the feed notifies itself through the pool
     * @param heartbeatTimeout how long a heartbeat may take to come back before the connection is held deaf
     * @param responseTimeout how long the connection may stay silent before it is closed ({@link ResponseDeadline})
     * @param fullReloadInterval how often everything is reloaded while listening, whatever the notifications say
     */
    public record Timing(Duration heartbeatInterval, Duration heartbeatTimeout, Duration responseTimeout,
            Duration fullReloadInterval) {
    }

    private record Beat(String payload, long sentAtNanos) {
    }

    /**
     * @param listenOn where to LISTEN, on a connection of the feed's own
     * @param pool where the heartbeats are sent from: any connection but the listening one
     * @param reloadAll the full reload, run after every (re)connection and to repair a failed reload; it must reset
     *        the failure count with {@link #loadedInFull()} when it succeeds
     * @param onChange turns one change into a targeted reload, or null to ignore it
     */
    public ChangeFeed(Vertx vertx, PgConnectOptions listenOn, Pool pool, Timing timing, String channel,
            Supplier<Uni<Void>> reloadAll, Function<Change, Supplier<Uni<Void>>> onChange) {
        this.vertx = vertx;
        this.pool = pool;
        this.timing = timing;
        this.channel = channel;
        this.reloadAll = reloadAll;
        this.subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(ChangeFeed::backoffMillis);
        subscriber.channel(channel)
                .handler(payload -> {
                    if (payload.startsWith(HEARTBEAT)) {
                        heard(payload);
                        return;
                    }
                    var change = Change.parse(payload);
                    var reload = change == null ? null : onChange.apply(change);
                    if (reload != null) {
                        enqueue(reload);
                    } else {
                        LOG.debugf("ignoring %s notification %s", channel, payload);
                    }
                })
                .subscribeHandler(() -> {
                    var connection = subscriber.actualConnection();
                    if (connection != null) {
                        ResponseDeadline.install(connection.getDelegate(), timing.responseTimeout());
                    }
                    enqueue(reloadAll);
                });
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
        startTimers();
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
        vertx.cancelTimer(heartbeatTimer);
        vertx.cancelTimer(reloadTimer);
        subscriber.closeAndForget();
    }

    /** Connected, and no heartbeat overdue. */
    public boolean isListening() {
        Beat beat = awaited.get();
        return !stopped && subscriber.actualConnection() != null
                && (beat == null || !overdue(beat, System.nanoTime()));
    }

    /** Heartbeats that did not come back in time, each followed by a reconnect, since the feed was created. */
    public long heartbeatsMissed() {
        return heartbeatsMissed.get();
    }

    public String channel() {
        return channel;
    }

    /**
     * Seconds since the copy was last known current: since its last full load or the last change applied, whichever
     * came later; after a failed reload, since the last success before it, until a full load repairs the copy. It grows
     * while the feed cannot listen; a quiet feed is reloaded in full every {@code fullReloadInterval}, which bounds it.
     */
    public double secondsSinceCurrent() {
        return (System.nanoTime() - currentAtNanos) / 1e9;
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

    private void startTimers() {
        if (!timersStarted.compareAndSet(false, true)) {
            return;
        }
        heartbeatTimer = vertx.setPeriodic(timing.heartbeatInterval().toMillis(), id -> beat());
        reloadTimer = vertx.setPeriodic(timing.fullReloadInterval().toMillis(), id -> {
            // While not listening a reconnect is under way, and it reloads in full anyway.
            if (!stopped && subscriber.actualConnection() != null) {
                enqueue(reloadAll);
            }
        });
    }

    /**
     * Sends a heartbeat when none is awaited; when the awaited one is overdue, closes the listening connection: the
     * subscriber reconnects and its subscription reloads everything. The send may fail (the pool's database away too):
     * the heartbeat then never comes back, which is the point.
     */
    private void beat() {
        var connection = subscriber.actualConnection();
        if (stopped || connection == null) {
            awaited.set(null);
            return;
        }
        long now = System.nanoTime();
        Beat beat = awaited.get();
        if (beat != null) {
            if (overdue(beat, now) && awaited.compareAndSet(beat, null)) {
                heartbeatsMissed.incrementAndGet();
                LOG.warnf("%s: a heartbeat did not come back within %d ms; reconnecting and reloading in full",
                        channel, timing.heartbeatTimeout().toMillis());
                // At the socket: a polite close would wait for the server that is not answering.
                ResponseDeadline.closeNow(connection.getDelegate());
            }
            return;
        }
        var next = new Beat(HEARTBEAT + UUID.randomUUID(), now);
        if (awaited.compareAndSet(null, next)) {
            pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(channel, next.payload()))
                    .subscribe().with(ok -> {}, e -> LOG.debugf("%s: heartbeat not sent: %s", channel,
                            e.getMessage()));
        }
    }

    private void heard(String payload) {
        Beat beat = awaited.get();
        if (beat != null && beat.payload().equals(payload)) {
            awaited.compareAndSet(beat, null);
        }
    }

    private boolean overdue(Beat beat, long nowNanos) {
        return nowNanos - beat.sentAtNanos() > timing.heartbeatTimeout().toNanos();
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
        boolean full = next == reloadAll;
        Uni.createFrom().deferred(next::get)
                .invoke(() -> {
                    if (full) {
                        behind = false;
                    }
                    if (!behind) {
                        currentAtNanos = System.nanoTime();
                    }
                })
                .onFailure().invoke(e -> {
                    behind = true;
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
