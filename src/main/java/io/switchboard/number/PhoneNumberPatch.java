package io.switchboard.number;

import com.fasterxml.jackson.databind.JsonNode;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code PATCH /v1/phone-numbers/{id}}. Raw nodes tell an absent field (keep) from an explicit null:
 * {@code agentId: null} unassigns, {@code label: null} clears.
 */
public record PhoneNumberPatch(
        @Schema(implementation = String.class, nullable = true, description = "null clears",
                example = "Support line") JsonNode label,
        @Schema(implementation = String.class, format = "uuid", nullable = true,
                description = "The agent to route to; null unassigns") JsonNode agentId) {
}
