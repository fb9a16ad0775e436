package io.switchboard.outbound;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** How outbound calls and messages are dispatched to Twilio; checked at start by {@link OutboundDispatcher#check}. */
@ConfigMapping(prefix = "switchboard.outbound")
public interface OutboundConfig {

    /** Whether this replica runs the dispatcher; every replica may, claims never overlap. */
    @WithDefault("true")
    boolean enabled();

    /**
     * Calls placed per second and Twilio account, across all replicas (Twilio's default is 1), unless the provider
     * sets its own {@code callsPerSecond}. Above 0: a pace of 0 or less has no slots and is refused at start.
     */
    @WithDefault("1")
    double callsPerSecond();

    /**
     * Message segments sent per second and sender number (US/CA long code: 1; toll-free 3; short code 100), unless
     * the provider sets its own {@code segmentsPerSecond}. Above 0.
     */
    @WithDefault("1")
    double segmentsPerSecond();

    /**
     * How far ahead of its start a pace slot is claimed: the claimed send waits on this replica for its slot, so
     * neither the tick nor the claim's round trip costs any of the pace. At least twice the poll interval.
     */
    @WithDefault("1s")
    Duration claimAhead();

    /**
     * The fraction of each pace left unused, so that sends reaching Twilio up to this many seconds later than their
     * slots (a busy event loop, the network) still never crowd more than the pace into one second: 0.03 runs at 97%
     * of the pace and bears 30 ms. Between 0.005 and 0.2.
     */
    @WithDefault("0.03")
    double paceMargin();

    /**
     * A claimed send whose slot passed longer ago than this when its timer fired (its replica stalled: a long pause,
     * a frozen process) is not made, and its row waits for a later slot: a replica that comes back does not send the
     * slots it holds all at once. Below claim-ahead.
     */
    @WithDefault("250ms")
    Duration lateLimit();

    /**
     * Twilio account SIDs whose pace (switchboard_dispatch_pace_allowed_total, switchboard_dispatch_pace_used_total)
     * is reported under their own {@code account} label; every other account is reported together as {@code other}.
     * A short list of the accounts worth watching on their own, so that the number of series stays bounded whatever
     * the number of tenants. At most 100.
     */
    Optional<List<String>> paceMetricAccounts();

    /** How often the dispatcher looks for due work. */
    @WithDefault("250ms")
    Duration pollInterval();

    /**
     * Accounts (or senders) served per tick, rows claimed per account (or sender) and tick, and rows rechecked per
     * tick.
     */
    @WithDefault("50")
    int claimLimit();

    /**
     * How long a claim holds a row, from its pace slot. Longer than the client's usual create (its 30 s @Timeout): a
     * claim that outlives it belongs to a replica that died mid-create, and the row is reconciled, never simply sent
     * again. Each outcome is fenced by its attempt, so a create answered after the lease ran out changes nothing.
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
