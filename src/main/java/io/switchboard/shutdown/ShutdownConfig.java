package io.switchboard.shutdown;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * What a graceful shutdown (SIGTERM) still waits for. Quarkus first waits {@code quarkus.shutdown.delay} (readiness
 * down, requests still served), then up to {@code quarkus.shutdown.timeout} for the HTTP requests in progress; these
 * bounds come after that, one after the other. All of them together must fit in the pod's termination grace period
 * (see deployment/README.md).
 */
@ConfigMapping(prefix = "switchboard.shutdown")
public interface ShutdownConfig {

    /**
     * How long the outbound sends and reconciliations already started may take to store their outcome. What is still
     * running then stays claimed, and is reconciled once its lease runs out, as after a crash.
     */
    @WithDefault("10s")
    Duration outboundTimeout();

    /**
     * How long the answered inbound calls still queued may take to be written to PostgreSQL. What is left then is
     * not recorded (logged and counted); the calls' status callbacks still create their rows.
     */
    @WithDefault("10s")
    Duration inboundTimeout();
}
