package io.switchboard.routing;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** A replica takes calls only once its routing table is loaded. */
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
