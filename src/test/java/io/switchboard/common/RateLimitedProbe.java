package io.switchboard.common;

import io.smallrye.faulttolerance.api.RateLimit;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;

/** A rate-limited bean of the test build, to exercise the fault-tolerance metrics under Prometheus. */
@ApplicationScoped
public class RateLimitedProbe {

    @RateLimit(value = 2, window = 1, windowUnit = ChronoUnit.MINUTES)
    public Uni<String> call() {
        return Uni.createFrom().item("ok");
    }
}
