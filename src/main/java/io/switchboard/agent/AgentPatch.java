package io.switchboard.agent;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A {@code PATCH /v1/agents/{id}} body. Each field is a raw JSON node so that an absent field (Java null: keep) and an
 * explicit {@code null} (a NullNode: clear) can be told apart.
 */
public record AgentPatch(JsonNode name, JsonNode routing, JsonNode parameters, JsonNode recording,
        JsonNode transferNumber) {
}
