package io.switchboard.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.health.api.HealthGroup;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether PostgreSQL answers the pool, within the statement timeout: the {@code database} health group
 * ({@code /q/health/group/database}), and {@code switchboard_database_up}, probed every
 * {@code switchboard.database.probe-interval}. Not part of readiness: inbound calls are answered from memory, and a
 * database outage must not take every replica out of the Service at once.
 */
@HealthGroup(DatabaseHealth.GROUP)
@ApplicationScoped
public class DatabaseHealth implements AsyncHealthCheck {

    public static final String GROUP = "database";

    private final Pool pool;
    private final Vertx vertx;
    private final DatabaseConfig config;
    private volatile boolean up;
    private volatile long timer = -1;

    public DatabaseHealth(Pool pool, Vertx vertx, DatabaseConfig config, MeterRegistry metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        Gauge.builder("switchboard.database.up", this, health -> health.up ? 1 : 0)
                .description("1 when PostgreSQL answered the last probe in time").register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        probe().subscribe().with(ok -> {}, e -> {});
        timer = vertx.setPeriodic(config.probeInterval().toMillis(),
                id -> probe().subscribe().with(ok -> {}, e -> {}));
    }

    void onStop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return probe().map(error -> {
            var response = HealthCheckResponse.named(GROUP).status(error == null);
            return (error == null ? response : response.withData("error", error)).build();
        });
    }

    /** Null when the database answered in time, else why not (never what PostgreSQL said of the statement). */
    private Uni<String> probe() {
        Duration deadline = config.statementTimeout();
        return pool.query("select 1").execute()
                .ifNoItem().after(deadline).fail()
                .map(rows -> (String) null)
                .onFailure().recoverWithItem(e -> e instanceof io.smallrye.mutiny.TimeoutException
                        ? "no answer within " + deadline.toMillis() + " ms"
                        : "unreachable: " + e.getClass().getSimpleName())
                .invoke(error -> up = error == null);
    }
}
