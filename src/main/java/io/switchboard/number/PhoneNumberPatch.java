package io.switchboard.number;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of {@code PATCH /v1/phone-numbers/{id}}. Raw nodes tell an absent field (keep) from an explicit null:
 * {@code agentId: null} unassigns, {@code label: null} clears.
 */
public record PhoneNumberPatch(JsonNode label, JsonNode agentId) {
}
