package io.switchboard.event;

import java.time.Instant;
import java.util.UUID;

/** One attempt to deliver an event to a subscription: {@code status} delivered, failed (not 2xx) or error (no answer). */
public record DeliveryAttemptView(UUID eventId, String eventType, int attempt, Instant attemptedAt, String status,
        Integer responseCode, Integer latencyMs, String error, String deliveryState) {
}
