package io.switchboard.event;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Event subscriptions: who may receive them, and how deliveries are paced, retried, given up and pruned. */
@ConfigMapping(prefix = "switchboard.events")
public interface EventsConfig {

    /**
     * Accept {@code http://} URLs and receivers on loopback, private and link-local addresses (local use and tests
     * only: in production it would let an organization make the service call its internal network).
     */
    @WithDefault("false")
    boolean allowInsecureUrls();

    /** Whether this replica delivers events; every replica may, claims never overlap. */
    @WithDefault("true")
    boolean deliveryEnabled();

    /** How often this replica looks for due deliveries while it has found none. */
    @WithDefault("250ms")
    Duration pollInterval();

    /** Deliveries claimed at most per claim, all subscriptions together. */
    @WithDefault("200")
    int claimLimit();

    /**
     * Attempts in flight at once to one subscription, across every replica that shares the claim (each subscription
     * also has a connection pool of this size of its own), so a slow receiver holds only its own share.
     */
    @WithDefault("32")
    int maxInFlightPerSubscription();

    /** Attempts in flight at once on this replica, all subscriptions together. */
    @WithDefault("256")
    int maxInFlight();

    /** One attempt, connection included: a receiver that has not answered by then has failed this attempt. */
    @WithDefault("10s")
    Duration attemptTimeout();

    /** Connecting to a receiver, within the attempt timeout. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Resolving a receiver's host name (on the {@code event-dns} worker pool). */
    @WithDefault("5s")
    Duration dnsTimeout();

    /** How long a claimed attempt holds its delivery; above the attempt timeout. A replica that died leaves it due. */
    @WithDefault("60s")
    Duration lease();

    /** The wait before the second attempt; it doubles per attempt, with up to half of it added at random. */
    @WithDefault("5s")
    Duration firstRetry();

    /** The longest wait between two attempts. */
    @WithDefault("1h")
    Duration maxRetry();

    /**
     * A delivery still failing this long after its first attempt is given up: the delivery is marked failed, its
     * subscription paused and a {@code subscription.paused} event recorded.
     */
    @WithDefault("24h")
    Duration giveUpAfter();

    /** How long the replaced secret keeps signing beside the new one after {@code rotate-secret}. */
    @WithDefault("24h")
    Duration secretOverlap();

    /** Events older than this whose every delivery is over (delivered or given up) are deleted. */
    @WithDefault("30d")
    Duration retention();

    /** How often a replica prunes old events. */
    @WithDefault("10m")
    Duration pruneInterval();
}
