package io.switchboard.event;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code PATCH /v1/event-subscriptions/{id}} body. Raw JSON nodes, so that an absent field (Java null: keep) and an
 * explicit {@code null} (clear, where that is allowed) can be told apart.
 */
public record SubscriptionPatch(JsonNode url, JsonNode events, JsonNode description, JsonNode paused) {
}
