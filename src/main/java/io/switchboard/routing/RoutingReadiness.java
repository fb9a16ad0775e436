package io.switchboard.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A replica takes calls only once its routing table is loaded, and keeps taking them through a database outage: the
 * table answers from memory (the database reports in its own health group, see {@code db.DatabaseHealth}).
 */
@Readiness
@ApplicationScoped
public class RoutingReadiness implements HealthCheck {

    private final RoutingTable table;

    public RoutingReadiness(RoutingTable table) {
        this.table = table;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("routing-table")
                .status(table.isLoaded())
                .withData("numbers", table.size())
                .build();
    }
}
