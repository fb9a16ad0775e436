package io.switchboard.db;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Opens {@link ChangeFeed}s: each listens on a connection of its own, outside the pool, to the database the pool
 * uses.
 */
@ApplicationScoped
public class ChangeFeeds {

    /**
     * The channel the triggers on {@code phone_number}, {@code agent} and {@code provider} notify (migration V3),
     * with {@code <table>:<id>} of the changed row.
     */
    public static final String ROUTING_CHANGED = "routing_changed";

    private final Vertx vertx;
    private final PgConnectOptions listenOn;

    ChangeFeeds(Vertx vertx, @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.listenOn = ChangeFeed.connectOptions(url, username, password);
    }

    /** Where the feeds listen: the database of the pool, on a connection of their own. */
    public PgConnectOptions listenOn() {
        return listenOn;
    }

    public ChangeFeed open(String channel, Supplier<Uni<Void>> reloadAll,
            Function<ChangeFeed.Change, Supplier<Uni<Void>>> onChange) {
        return new ChangeFeed(vertx, listenOn, channel, reloadAll, onChange);
    }
}
