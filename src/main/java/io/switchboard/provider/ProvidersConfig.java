package io.switchboard.provider;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "switchboard.providers")
public interface ProvidersConfig {

    /** How often each provider is verified in the background. */
    @WithDefault("15m")
    Duration verifyInterval();

    /** How often a replica looks for a provider due for verification; each look verifies at most one. */
    @WithDefault("30s")
    Duration verifyTick();

    /** Whether this replica verifies providers in the background at all. */
    @WithDefault("true")
    boolean backgroundVerification();

    /** How long a replaced auth token is still accepted for webhook signatures after a rotation. */
    @WithDefault("24h")
    Duration previousTokenGrace();
}
