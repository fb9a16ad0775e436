package io.switchboard.routing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Keeps an in-memory copy of some rows current: LISTENs on a PostgreSQL channel on its own connection, reloads in
 * full whenever the connection is (re)established — notifications sent while it was down are lost — and applies
 * targeted reloads for each notification. All reloads run one at a time in arrival order, so an older read never
 * overwrites a newer one.
 */
public final class ChangeFeed {

    private static final Logger LOG = Logger.getLogger(ChangeFeed.class);

    private final String channel;
    private final PgSubscriber subscriber;
    private final Queue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /**
     * @param reloadAll the full reload, run after every (re)connection
     * @param onChange turns one change into a targeted reload, or null to ignore it
     */
    public ChangeFeed(Vertx vertx, PgConnectOptions listenOn, String channel, Supplier<Uni<Void>> reloadAll,
            Function<Change, Supplier<Uni<Void>>> onChange) {
        this.channel = channel;
        this.subscriber = PgSubscriber.subscriber(vertx, listenOn)
                .reconnectPolicy(attempt -> Math.min(100L << Math.min(attempt, 5), 3_000L));
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

    public Uni<Void> start() {
        return subscriber.connect();
    }

    public void stop() {
        subscriber.closeAndForget();
    }

    /** Runs a reload after those already queued. */
    public void enqueue(Supplier<Uni<Void>> reload) {
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
                .onFailure().invoke(e -> LOG.warnf("reload after a %s notification failed: %s", channel,
                        e.getMessage()))
                .onFailure().recoverWithNull()
                .subscribe().with(done -> {
                    draining.set(false);
                    drain();
                });
    }

    /** Where to LISTEN: the datasource the application uses, on a connection of the feed's own. */
    public static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password) {
        var options = PgConnectOptions.fromUri(url.startsWith("vertx-reactive:") ? url.substring(15) : url);
        username.ifPresent(options::setUser);
        password.ifPresent(options::setPassword);
        return options;
    }

    /** One {@code NOTIFY} payload, {@code <table>:<uuid>}: the row of that table that changed. */
    public record Change(String table, UUID id) {

        static Change parse(String payload) {
            int sep = payload.indexOf(':');
            try {
                return sep <= 0 ? null : new Change(payload.substring(0, sep), UUID.fromString(payload.substring(sep + 1)));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
