package io.switchboard.event;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One event, as {@code GET /v1/events} lists it and as its webhook body carries it: the same id on every attempt, the
 * time the change happened, the resource it is about and that resource's sequence number (1, 2, 3, ... in the order
 * its changes committed).
 */
public record EventView(UUID id, String type, Instant timestamp, UUID organizationId, String resourceType,
        UUID resourceId, Integer sequence, Map<String, Object> data) {
}
