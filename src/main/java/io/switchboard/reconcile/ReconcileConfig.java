package io.switchboard.reconcile;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How calls and messages whose last callbacks never arrived are asked about in Twilio. */
@ConfigMapping(prefix = "switchboard.reconcile")
public interface ReconcileConfig {

    /** Whether this replica reconciles; every replica may, claims never overlap. */
    @WithDefault("true")
    boolean enabled();

    /** How often this replica looks for calls and messages to reconcile. */
    @WithDefault("30s")
    Duration interval();

    /**
     * How long an unfinished call or message waits after its last event before Twilio is asked about it. Asked again
     * after as long as it has been quiet, so the checks of one that stays unfinished come ever further apart.
     */
    @WithDefault("5m")
    Duration age();

    /** Rows of each kind (calls, messages) one tick of this replica claims, at most. */
    @WithDefault("50")
    int batchSize();

    /** Rows of each kind one tick claims of one Twilio account, at most. */
    @WithDefault("10")
    int perAccountCap();

    /**
     * Fetches in flight at once for one Twilio account on this replica, calls and messages together. Twilio limits
     * the concurrent REST requests of an account, and the dispatcher and the API need their share: keep this times
     * the number of replicas well under that limit.
     */
    @WithDefault("2")
    int perAccountConcurrency();

    /**
     * How long a claimed row is this replica's. Longer than the fetches of one account's share of a tick can take
     * (the client allows a fetch about 90 s with its retries): a claim that outlives it is another replica's to take.
     */
    @WithDefault("10m")
    Duration lease();
}
