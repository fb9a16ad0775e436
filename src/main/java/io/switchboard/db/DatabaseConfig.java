package io.switchboard.db;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long the service waits on PostgreSQL, at most. The server bounds what it runs for the service's sessions; the
 * service bounds what it waits for, since a server that stopped answering (frozen, or behind a half-open connection)
 * enforces nothing.
 */
@ConfigMapping(prefix = "switchboard.database")
public interface DatabaseConfig {

    /** PostgreSQL cancels a statement of the service's that runs longer ({@code statement_timeout}). */
    @WithDefault("10s")
    Duration statementTimeout();

    /**
     * PostgreSQL ends a session of the service's left idle inside a transaction this long
     * ({@code idle_in_transaction_session_timeout}): no transaction waits on anything outside the database.
     */
    @WithDefault("10s")
    Duration idleInTransactionTimeout();

    /**
     * The service closes a connection on which nothing was sent or received for this long, so a statement fails
     * rather than waiting for ever; also the longest wait for a pooled connection. Must exceed the statement timeout,
     * within which a live server always answers.
     */
    @WithDefault("15s")
    Duration responseTimeout();

    /** TCP keepalive on the service's connections: the server probes the service, and the service the server. */
    Keepalive keepalive();

    /** The grouped commits of callbacks ({@link GroupCommit}). */
    GroupCommitLimits groupCommit();

    /** The change feeds that keep in-memory copies current ({@link ChangeFeed}). */
    ChangeFeedTiming changeFeed();

    /** How often the database is probed for {@code switchboard_database_up}. */
    @WithDefault("10s")
    Duration probeInterval();

    interface Keepalive {

        /** Idle time before the first probe ({@code tcp_keepalives_idle} on the server's side). */
        @WithDefault("30s")
        Duration idle();

        /** Between two unanswered probes ({@code tcp_keepalives_interval}). */
        @WithDefault("10s")
        Duration interval();

        /** Unanswered probes before the connection is dropped ({@code tcp_keepalives_count}). */
        @WithDefault("3")
        int count();
    }

    interface GroupCommitLimits {

        /** Callers waiting for one grouped statement, at most; beyond it a callback is answered 503 at once. */
        @WithDefault("1024")
        int maxWaiting();
    }

    interface ChangeFeedTiming {

        /** How often each feed notifies itself through the pool, to hear it back on its listening connection. */
        @WithDefault("5s")
        Duration heartbeatInterval();

        /**
         * A heartbeat not heard back within this makes the feed reconnect and reload in full: its connection is
         * dead, or alive and deaf (a pooler in between, the wrong server). Shorter than the response timeout, which
         * closes a connection that went silent, so a deaf one is found first.
         */
        @WithDefault("10s")
        Duration heartbeatTimeout();

        /** A full reload this often, whatever the notifications say: the backstop for any change a feed missed. */
        @WithDefault("5m")
        Duration fullReloadInterval();
    }
}
