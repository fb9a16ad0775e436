package io.switchboard.agent;

import io.switchboard.common.ApiError;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** An agent's failures as the API answers them. */
public class AgentErrorMapper {

    @ServerExceptionMapper
    public Response inUse(AgentInUse e) {
        return ApiError.of("agent_in_use", "agent has " + e.assigned()
                + " assigned phone number(s); unassign them first").toResponse(409);
    }
}
