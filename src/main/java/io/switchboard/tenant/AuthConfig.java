package io.switchboard.tenant;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/** How bearer credentials are verified: the cache of verified API keys and the limit on failed attempts. */
@ConfigMapping(prefix = "switchboard.auth")
public interface AuthConfig {

    /**
     * How long a verified API key is answered from memory: a key revoked through another replica still works here
     * for at most this long (revoked through this replica, it stops at once).
     */
    @WithDefault("30s")
    Duration keyCacheTtl();

    /** Verified API keys kept in memory at most. */
    @WithDefault("10000")
    @Min(0)
    int keyCacheSize();

    Failures failures();

    /** Failed authentications per client address: beyond the limit, 429 until the window ends. */
    interface Failures {
        /** Failed authentications one client address may make in a window. */
        @WithDefault("20")
        @Min(1)
        int limit();

        /** The window the limit counts in. */
        @WithDefault("1m")
        Duration window();

        /** Client addresses tracked at most; beyond them a new address is not limited until old windows end. */
        @WithDefault("10000")
        @Min(1)
        int maxClients();
    }
}
