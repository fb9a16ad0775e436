package io.switchboard.routing;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.db.ChangeFeed;
import io.switchboard.db.ChangeFeeds;
import io.switchboard.db.JsonColumns;
import io.switchboard.webhook.NumberOwners;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Number to route, in memory, so the inbound-call webhook answers without a database round trip, even while the
 * database is down.
 * <p>
 * The database stays the source of truth. Triggers on {@code phone_number}, {@code agent} and {@code provider} send
 * {@code NOTIFY routing_changed '<table>:<id>'} in the transaction that changes a route; every replica LISTENs on its
 * own connection and reloads just the rows concerned. After the listening connection is (re)established — at start
 * and after any loss, when notifications may have been missed — the whole table is reloaded. Reloads run one at a
 * time, in the order the notifications came, so an older read never overwrites a newer one ({@link ChangeFeed}).
 */
@ApplicationScoped
public class RoutingTable implements NumberOwners {

    private static final Logger LOG = Logger.getLogger(RoutingTable.class);

    private final RouteLoader loader;
    private final ChangeFeed feed;
    private final AtomicBoolean loaded = new AtomicBoolean();
    private volatile Map<String, Route> byNumber = new ConcurrentHashMap<>();

    @Inject
    public RoutingTable(Pool pool, JsonColumns json, ChangeFeeds feeds, MeterRegistry metrics) {
        this.loader = new RouteLoader(pool, json);
        this.feed = feeds.open(ChangeFeeds.ROUTING_CHANGED, this::reloadAll, this::reload);
        Gauge.builder("switchboard.routing_table.age", feed, ChangeFeed::secondsSinceCurrent).baseUnit("seconds")
                .description("seconds since this replica's routing table was last known current (loaded in full or"
                        + " a change applied)")
                .register(metrics);
    }

    /** A table of its own, listening elsewhere and reading through {@code pool}: for tests that play a replica. */
    public RoutingTable(Pool pool, JsonColumns json, ChangeFeeds feeds, PgConnectOptions listenOn) {
        this.loader = new RouteLoader(pool, json);
        this.feed = feeds.open(listenOn, pool, ChangeFeeds.ROUTING_CHANGED, this::reloadAll, this::reload);
    }

    void onStart(@Observes StartupEvent event) {
        start().subscribe().with(ok -> {},
                e -> LOG.errorf("routing table stopped before it could listen for changes: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Listens for changes, retrying until it can; the first subscription loads the whole table. */
    public Uni<Void> start() {
        return feed.start();
    }

    public void stop() {
        feed.stop();
    }

    /** The route of an imported number (E.164), if it is imported. */
    public Optional<Route> find(String number) {
        return Optional.ofNullable(byNumber.get(number));
    }

    /** The provider a number is imported with: the one whose tokens its webhooks are verified with. */
    @Override
    public Optional<UUID> providerOf(String number) {
        return find(number).map(Route::providerId);
    }

    /** Whether the table has been loaded at least once: until then it cannot answer for the database. */
    public boolean isLoaded() {
        return loaded.get();
    }

    public int size() {
        return byNumber.size();
    }

    private Supplier<Uni<Void>> reload(ChangeFeed.Change change) {
        UUID id = change.id();
        return switch (change.table()) {
            case "phone_number" -> () -> loader.byNumberId(id).invoke(routes -> {
                if (routes.isEmpty()) {
                    byNumber.values().removeIf(route -> route.numberId().equals(id));
                } else {
                    put(routes);
                }
            }).replaceWithVoid();
            case "agent" -> () -> loader.byAgent(id).invoke(this::put).replaceWithVoid();
            case "provider" -> () -> loader.byProvider(id).invoke(this::put).replaceWithVoid();
            default -> null;
        };
    }

    private Uni<Void> reloadAll() {
        return loader.all().invoke(routes -> {
            var fresh = new ConcurrentHashMap<String, Route>(Math.max(16, routes.size() * 2));
            routes.forEach(route -> fresh.put(route.number(), route));
            byNumber = fresh;
            loaded.set(true);
            feed.loadedInFull();
            LOG.infof("routing table loaded: %d numbers", fresh.size());
        }).replaceWithVoid();
    }

    private void put(List<Route> routes) {
        routes.forEach(route -> byNumber.put(route.number(), route));
    }
}
