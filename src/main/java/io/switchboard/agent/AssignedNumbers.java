package io.switchboard.agent;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What an agent needs to know of the numbers assigned to it, in the caller's organization and the current session.
 * The {@code number} package answers it, so that {@code agent} never depends on {@code number}.
 */
public interface AssignedNumbers {

    Uni<Long> countByAgent(UUID agentId);
}
