package io.switchboard.db;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Bounds every connection the service opens to PostgreSQL: the pool's (which Quarkus creates through this class)
 * and each change feed's. Quarkus offers no setting for a client-side deadline or TCP keepalive, hence the creator.
 * <p>
 * The session parameters go in the startup message, so PostgreSQL applies them to the service's sessions only. A
 * connection on which nothing moved for the response timeout is closed by the service ({@link ResponseDeadline}): a
 * statement on it then fails instead of waiting for a server that stopped answering, which TCP alone would not notice
 * while the server's kernel still acknowledges. The pool drops idle connections well before that, so a borrowed
 * connection never arrives near its deadline. A connection attempt stuck in its handshake is not bounded (the client
 * offers no hook before it is established); it holds one place in the pool until the server answers or TCP gives up,
 * and whoever waits for a connection gives up after the response timeout all the same.
 */
@Singleton
public class DatabaseConnections implements PgPoolCreator {

    /** How the service's sessions are named in {@code pg_stat_activity}. */
    public static final String APPLICATION_NAME = "switchboard";

    private final DatabaseConfig config;

    public DatabaseConnections(DatabaseConfig config) {
        if (config.responseTimeout().compareTo(config.statementTimeout()) <= 0) {
            throw new IllegalStateException("switchboard.database.response-timeout (" + config.responseTimeout()
                    + ") must be longer than switchboard.database.statement-timeout (" + config.statementTimeout()
                    + "): a live server answers within the statement timeout");
        }
        this.config = config;
    }

    @Override
    public Pool create(Input input) {
        input.pgConnectOptionsList().forEach(options -> bound(options, APPLICATION_NAME));
        var pool = PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(),
                bound(input.poolOptions()));
        // Each new connection gets its deadline before it joins the pool; closing it here hands it to the pool.
        return pool.connectHandler(connection -> {
            ResponseDeadline.install(connection, config.responseTimeout());
            connection.close();
        });
    }

    /**
     * The service's bounds on one connection's options, in place: session parameters, TCP keepalive and the connect
     * timeout. The response deadline is put on each connection once established ({@link ResponseDeadline}).
     */
    public PgConnectOptions bound(PgConnectOptions options, String applicationName) {
        var keepalive = config.keepalive();
        options.addProperty("application_name", applicationName)
                .addProperty("statement_timeout", millis(config.statementTimeout()))
                .addProperty("idle_in_transaction_session_timeout", millis(config.idleInTransactionTimeout()))
                .addProperty("tcp_keepalives_idle", seconds(keepalive.idle()))
                .addProperty("tcp_keepalives_interval", seconds(keepalive.interval()))
                .addProperty("tcp_keepalives_count", Integer.toString(keepalive.count()));
        options.setConnectTimeout((int) config.responseTimeout().toMillis());
        // The JDK transport applies only SO_KEEPALIVE, with the host's timing (see deployment/); the native one
        // also takes the intervals.
        options.setTcpKeepAlive(true);
        options.setTcpKeepAliveIdleSeconds((int) keepalive.idle().toSeconds());
        options.setTcpKeepAliveIntervalSeconds((int) keepalive.interval().toSeconds());
        options.setTcpKeepAliveCount(keepalive.count());
        return options;
    }

    /**
     * Waiting for a connection is bounded like a statement, and an idle connection leaves the pool after half the
     * response timeout (looked for at least every second), long before the deadline could close it under a borrower.
     */
    PoolOptions bound(PoolOptions pool) {
        long deadline = config.responseTimeout().toMillis();
        long idle = deadline / 2;
        if (pool.getIdleTimeout() > 0) {
            idle = Math.min(idle, pool.getIdleTimeoutUnit().toMillis(pool.getIdleTimeout()));
        }
        return pool.setConnectionTimeout((int) deadline).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS)
                .setIdleTimeout((int) idle).setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setPoolCleanerPeriod((int) Math.max(100, Math.min(1_000, idle / 2)));
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }

    private static String seconds(Duration duration) {
        return Long.toString(Math.max(1, duration.toSeconds()));
    }
}
