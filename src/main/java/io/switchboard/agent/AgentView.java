package io.switchboard.agent;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** An agent as the API shows it. */
public record AgentView(UUID id, String name, Routing routing, Map<String, String> parameters, String recording,
        String transferNumber, Instant createdAt, Instant updatedAt) {
}
