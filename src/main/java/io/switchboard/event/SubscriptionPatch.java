package io.switchboard.event;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A {@code PATCH /v1/event-subscriptions/{id}} body. Raw JSON nodes, so that an absent field (Java null: keep) and an
 * explicit {@code null} (clear, where that is allowed) can be told apart.
 */
public record SubscriptionPatch(
        @Schema(implementation = String.class, example = "https://example.com/switchboard/events") JsonNode url,
        @Schema(implementation = String[].class,
                description = "Event types, as in the create") JsonNode events,
        @Schema(implementation = String.class, nullable = true, description = "null clears") JsonNode description,
        @Schema(implementation = Boolean.class,
                description = "true stops deliveries until set back to false") JsonNode paused) {
}
