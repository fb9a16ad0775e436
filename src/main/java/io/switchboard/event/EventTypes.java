package io.switchboard.event;

import java.util.List;
import java.util.Set;

/**
 * The event types a subscription may name (the database's triggers and {@code record_event} write them, see V21).
 * {@code *} takes every type.
 */
public final class EventTypes {

    public static final String ALL = "*";
    public static final String PING = "ping";
    public static final String SUBSCRIPTION_PAUSED = "subscription.paused";

    /** In the order the README lists them. */
    public static final List<String> NAMES = List.of(
            "call.initiated", "call.ringing", "call.answered", "call.completed", "call.recording.completed",
            "message.sent", "message.delivered", "message.read", "message.failed", "message.received",
            "batch.finished", "number.imported", "number.deleted", "provider.verification_failed", SUBSCRIPTION_PAUSED,
            PING);

    private static final Set<String> KNOWN = Set.copyOf(NAMES);

    private EventTypes() {
    }

    public static boolean isKnown(String type) {
        return type != null && KNOWN.contains(type);
    }
}
