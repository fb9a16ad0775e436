package io.switchboard.db;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Opens {@link GroupCommit}s on the pool, each bounded by {@code switchboard.database.group-commit.max-waiting} and
 * reported as {@code switchboard_database_group_commit_waiting{statement}} and
 * {@code switchboard_database_group_commit_refused_total{statement}}.
 */
@ApplicationScoped
public class GroupCommits {

    private final Pool pool;
    private final DatabaseConfig config;
    private final MeterRegistry metrics;

    GroupCommits(Pool pool, DatabaseConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * @param statement names the statement in the metrics
     * @param maxGroup statements sent together, at most
     * @param maxInFlight groups under way at the same time, at most
     */
    public GroupCommit open(String statement, String sql, int maxGroup, int maxInFlight) {
        var commit = new GroupCommit(pool, sql, maxGroup, maxInFlight, config.groupCommit().maxWaiting());
        Gauge.builder("switchboard.database.group_commit.waiting", commit, GroupCommit::waiting)
                .description("callers waiting for a grouped statement to take them")
                .tag("statement", statement).strongReference(true).register(metrics);
        FunctionCounter.builder("switchboard.database.group_commit.refused", commit, GroupCommit::refused)
                .description("callers refused at once: as many waited already")
                .tag("statement", statement).register(metrics);
        return commit;
    }
}
