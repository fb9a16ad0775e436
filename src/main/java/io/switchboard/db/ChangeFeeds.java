package io.switchboard.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens {@link ChangeFeed}s: each listens on a connection of its own, outside the pool, to the database the pool
 * uses, bounded like the pool's ({@link DatabaseConnections}), and sends its heartbeats through the pool. The
 * service's feeds are reported in the {@code database} health group and as
 * {@code switchboard_database_change_feeds_listening} and {@code switchboard_database_change_feeds_heartbeats_missed}.
 */
@ApplicationScoped
public class ChangeFeeds {

    /**
     * The channel the triggers on {@code phone_number}, {@code agent} and {@code provider} notify (migration V3),
     * with {@code <table>:<id>} of the changed row.
     */
    public static final String ROUTING_CHANGED = "routing_changed";

    private final Vertx vertx;
    private final Pool pool;
    private final PgConnectOptions listenOn;
    private final ChangeFeed.Timing timing;
    private final List<ChangeFeed> opened = new CopyOnWriteArrayList<>();

    ChangeFeeds(Vertx vertx, Pool pool, DatabaseConfig config, DatabaseConnections connections,
            MeterRegistry metrics, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.pool = pool;
        this.listenOn = connections.bound(ChangeFeed.connectOptions(url, username, password),
                DatabaseConnections.APPLICATION_NAME + "-listener");
        this.timing = new ChangeFeed.Timing(config.changeFeed().heartbeatInterval(),
                config.changeFeed().heartbeatTimeout(), config.responseTimeout(),
                config.changeFeed().fullReloadInterval());
        Gauge.builder("switchboard.database.change_feeds.listening", this, feeds -> feeds.listening())
                .description("change feeds connected with their heartbeat on time").register(metrics);
        FunctionCounter.builder("switchboard.database.change_feeds.heartbeats_missed", this,
                feeds -> feeds.opened.stream().mapToLong(ChangeFeed::heartbeatsMissed).sum())
                .description("heartbeats that did not come back in time, each followed by a reconnect")
                .register(metrics);
    }

    /** How the service's feeds watch their connections. */
    public ChangeFeed.Timing timing() {
        return timing;
    }

    /** Where the service's feeds listen: the database of the pool, on a connection of their own. A copy. */
    public PgConnectOptions listenOn() {
        return new PgConnectOptions(listenOn);
    }

    /** A feed of the service's own, reported in its health. */
    public ChangeFeed open(String channel, Supplier<Uni<Void>> reloadAll,
            Function<ChangeFeed.Change, Supplier<Uni<Void>>> onChange) {
        var feed = new ChangeFeed(vertx, listenOn, pool, timing, channel, reloadAll, onChange);
        opened.add(feed);
        return feed;
    }

    /**
     * A feed that listens elsewhere and reads through another pool, timed like the service's and not reported in its
     * health: for tests that play a second replica.
     */
    public ChangeFeed open(PgConnectOptions listenOn, Pool pool, String channel, Supplier<Uni<Void>> reloadAll,
            Function<ChangeFeed.Change, Supplier<Uni<Void>>> onChange) {
        return new ChangeFeed(vertx, listenOn, pool, timing, channel, reloadAll, onChange);
    }

    /** The service's feeds. */
    public List<ChangeFeed> opened() {
        return List.copyOf(opened);
    }

    private int listening() {
        return (int) opened.stream().filter(ChangeFeed::isListening).count();
    }
}
