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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * time, in the order the notifications came, so an older read never overwrites a newer one.
 */
@ApplicationScoped
public class RoutingTable {

    static final String CHANNEL = "routing_changed";
    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final RouteLoader loader;
    private final PgSubscriber subscriber;
    private final Queue<Supplier<Uni<Void>>> pending = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean loaded = new AtomicBoolean();
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
        this.loader = new RouteLoader(pool, json);
        this.subscriber = PgSubscriber.subscriber(vertx, listenOn)
                .reconnectPolicy(attempt -> Math.min(100L << Math.min(attempt, 5), 3_000L));
        subscriber.channel(CHANNEL)
                .handler(this::changed)
                .subscribeHandler(() -> enqueue(this::reloadAll));
    }

    void onStart(@Observes StartupEvent event) {
        start().subscribe().with(ok -> {
        }, e -> LOG.errorf("routing table could not listen for changes yet: %s; retrying", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Connects the listener; the first subscription triggers the full load. */
    public Uni<Void> start() {
        return subscriber.connect();
    }

    public void stop() {
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
            LOG.infof("routing table loaded: %d numbers", fresh.size());
        }).replaceWithVoid();
    }

    private void put(List<Route> routes) {
        routes.forEach(route -> byNumber.put(route.number(), route));
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
                .onFailure().invoke(e -> LOG.warnf("routing table reload failed: %s", e.getMessage()))
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
