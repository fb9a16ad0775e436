package io.switchboard.routing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Number to route, in memory, so the inbound-call webhook answers without a database round trip, even while the
 * database is down.
 * <p>
 * The database stays the source of truth. Triggers on {@code phone_number}, {@code agent} and {@code provider} send
 * {@code NOTIFY routing_changed '<table>:<id>'} in the transaction that changes a route; every replica LISTENs on its
 * own connection and reloads just the rows concerned. After the listening connection is (re)established — at start
 * and after any loss, when notifications may have been missed — the whole table is reloaded. Reloads run one at a
 * time, in the order the notifications came, so an older read never overwrites a newer one. A reload that fails
 * (the database briefly unreachable) is not retried as such: a full reload is scheduled with back-off instead, and
 * repeated until one succeeds, so no change is lost while the queue keeps moving.
 */
@ApplicationScoped
public class RoutingTable {

    static final String CHANNEL = "routing_changed";
    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final Vertx vertx;
    private final RouteLoader loader;
    private final PgSubscriber subscriber;
    private final Queue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final AtomicBoolean resyncScheduled = new AtomicBoolean();
    private final AtomicInteger resyncAttempts = new AtomicInteger();
    private volatile boolean stopped;
    private volatile Map<String, Route> byNumber = new ConcurrentHashMap<>();

    @Inject
    public RoutingTable(Vertx vertx, Pool pool, ObjectMapper json,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this(vertx, pool, json, connectOptions(url, username, password));
    }

    /** A table of its own, for tests that play a second replica. */
    public RoutingTable(Vertx vertx, Pool pool, ObjectMapper json, PgConnectOptions listenOn) {
        this.vertx = vertx;
        this.loader = new RouteLoader(pool, json);
        this.subscriber = PgSubscriber.subscriber(vertx, listenOn).reconnectPolicy(RoutingTable::backoffMillis);
        subscriber.channel(CHANNEL)
                .handler(this::changed)
                .subscribeHandler(() -> enqueue(this::reloadAll));
    }

    void onStart(@Observes StartupEvent event) {
        start().subscribe().with(ok -> {
        }, e -> LOG.errorf("routing table stopped before it could listen for changes: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /**
     * Connects the listener, retrying with back-off until it succeeds or the table is stopped; the first subscription
     * triggers the full load.
     * <p>
     * PgSubscriber reconnects only a connection it once had: when the first connect fails (the database not up yet
     * when the replica starts) it never tries again, and a second {@code connect()} does nothing and never completes,
     * so such a replica never loaded its table and never became ready. Each attempt therefore resets the subscriber
     * first; {@code close()} on a subscriber without a connection keeps its channels (on a connected one it would
     * drop them, hence the check).
     */
    public Uni<Void> start() {
        stopped = false;
        return Uni.createFrom().deferred(() -> stopped || subscriber.actualConnection() != null
                        ? Uni.createFrom().voidItem()
                        : subscriber.close().chain(subscriber::connect))
                .onFailure().invoke(e -> LOG.warnf("routing table cannot listen for changes yet: %s; retrying",
                        e.getMessage()))
                .onFailure(e -> !stopped).retry()
                .withBackOff(Duration.ofMillis(backoffMillis(0)), Duration.ofMillis(backoffMillis(Integer.MAX_VALUE)))
                .indefinitely();
    }

    public void stop() {
        stopped = true;
        subscriber.closeAndForget();
    }

    /** The route of an imported number (E.164), if it is imported. */
    public Optional<Route> find(String number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** Whether the table has been loaded at least once: until then it cannot answer for the database. */
    public boolean isLoaded() {
        return loaded.get();
    }

    public int size() {
        return byNumber.size();
    }

    private void changed(String payload) {
        int sep = payload.indexOf(':');
        UUID id;
        try {
            id = UUID.fromString(payload.substring(sep + 1));
        } catch (RuntimeException e) {
            LOG.warnf("ignoring malformed %s notification", CHANNEL);
            return;
        }
        switch (payload.substring(0, Math.max(sep, 0))) {
            case "phone_number" -> enqueue(() -> loader.byNumberId(id).invoke(routes -> {
                if (routes.isEmpty()) {
                    byNumber.values().removeIf(route -> route.numberId().equals(id));
                } else {
                    put(routes);
                }
            }).replaceWithVoid());
            case "agent" -> enqueue(() -> loader.byAgent(id).invoke(this::put).replaceWithVoid());
            case "provider" -> enqueue(() -> loader.byProvider(id).invoke(this::put).replaceWithVoid());
            default -> LOG.warnf("ignoring %s notification for an unknown table", CHANNEL);
        }
    }

    private Uni<Void> reloadAll() {
        return loader.all().invoke(routes -> {
            var fresh = new ConcurrentHashMap<String, Route>(Math.max(16, routes.size() * 2));
            routes.forEach(route -> fresh.put(route.number(), route));
            byNumber = fresh;
            loaded.set(true);
            resyncAttempts.set(0);
            LOG.infof("routing table loaded: %d numbers", fresh.size());
        }).replaceWithVoid();
    }

    private void put(List<Route> routes) {
        routes.forEach(route -> byNumber.put(route.number(), route));
    }

    /**
     * A failed reload would otherwise lose its change until the next reconnect: the notification is gone. A full
     * reload, queued behind whatever arrives meanwhile, repairs any such loss; it is not retried in place, so one
     * failing read cannot hold up the reloads behind it. At most one is pending; each failure lengthens the wait.
     */
    private void scheduleResync() {
        if (stopped || !resyncScheduled.compareAndSet(false, true)) {
            return;
        }
        vertx.setTimer(backoffMillis(resyncAttempts.getAndIncrement()), timer -> {
            resyncScheduled.set(false);
            if (!stopped) {
                enqueue(this::reloadAll);
            }
        });
    }

    /** 100 ms, doubling, at most 3 s: for reconnecting the listener and for reloads after a failure. */
    static long backoffMillis(int attempt) {
        return Math.min(100L << Math.min(attempt, 5), 3_000L);
    }

    /** Runs reloads strictly one after another, in arrival order, on whatever thread completes the previous one. */
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
                    LOG.warnf("routing table reload failed: %s; reloading everything soon", e.getMessage());
                    scheduleResync();
                })
                .onFailure().recoverWithNull()
                .subscribe().with(done -> {
                    draining.set(false);
                    drain();
                });
    }

    static PgConnectOptions connectOptions(String url, Optional<String> username, Optional<String> password) {
        return ChangeFeed.connectOptions(url, username, password);
    }
}
