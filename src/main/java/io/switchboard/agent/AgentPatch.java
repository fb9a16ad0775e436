package io.switchboard.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A {@code PATCH /v1/agents/{id}} body. Each field is a raw JSON node so that an absent field (Java null: keep) and an
 * explicit {@code null} (a NullNode: clear) can be told apart.
 */
public record AgentPatch(
        @Schema(implementation = String.class, description = "1 to 100 characters",
                example = "Front desk") JsonNode name,
        @Schema(implementation = Routing.class, description = "The whole new route") JsonNode routing,
        @Schema(implementation = Map.class, additionalProperties = String.class, nullable = true,
                description = "Custom parameters passed to the stream; null clears") JsonNode parameters,
        @Schema(implementation = String.class, enumeration = {
            "off", "on" }, nullable = true,
                description = "null: off") JsonNode recording,
        @Schema(implementation = String.class, nullable = true, description = "E.164; null clears",
                example = "+14155551234") JsonNode transferNumber) {
}
