package io.switchboard.outbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How outbound calls and messages are dispatched to Twilio. */
@ConfigMapping(prefix = "switchboard.outbound")
public interface OutboundConfig {

    /** Whether this replica runs the dispatcher; every replica may, claims never overlap. */
    @WithDefault("true")
    boolean enabled();

    /** Calls placed per second and Twilio account, across all replicas (Twilio's default is 1). */
    @WithDefault("1")
    double callsPerSecond();

    /** Message segments sent per second and sender number (US/CA long code: 1; toll-free 3; short code 100). */
    @WithDefault("1")
    double segmentsPerSecond();

    /** How often the dispatcher looks for due work. */
    @WithDefault("250ms")
    Duration pollInterval();

    /** Accounts (or senders) served per tick, and rows rechecked per tick. */
    @WithDefault("50")
    int claimLimit();

    /**
     * How long a claim holds a row. Longer than the client's whole create (its 30 s @Timeout): a claim that outlives
     * it belongs to a replica that died mid-create, and the row is reconciled, never simply sent again.
     */
    @WithDefault("60s")
    Duration lease();

    /** First wait before a retryable failure (429, no connection) is tried again; doubles per attempt, up to 5 min. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Between two checks of an ambiguous create. */
    @WithDefault("2s")
    Duration recheckInterval();

    /**
     * How long an ambiguous create is looked for before it is held not to exist. Twilio lists a call at once; the
     * margin covers a create still in flight when the client gave up.
     */
    @WithDefault("30s")
    Duration reconcileGrace();

    /**
     * How far Twilio's clock may be behind the database's. Reconciliation adopts only calls Twilio created no earlier
     * than this before the create was sent, so a call placed earlier between the same two numbers is never taken.
     */
    @WithDefault("5s")
    Duration clockSkew();
}
