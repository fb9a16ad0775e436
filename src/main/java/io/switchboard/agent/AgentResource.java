package io.switchboard.agent;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Tag(name = "Agents",
        description = "Where a call goes: a media stream, a SIP endpoint, a phone number or a ConversationRelay.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/agents")
public class AgentResource {

    private final AgentService agents;

    public AgentResource(AgentService agents) {
        this.agents = agents;
    }

    @Operation(summary = "Create an agent",
            description = "Creates an agent with its routing: stream (wss url), sip (uri), number (E.164) or conversationRelay (wss url and its settings).")
    @APIResponse(responseCode = "201", description = "The agent",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AgentView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @POST
    @ResponseStatus(201)
    public Uni<AgentView> create(@NotNull AgentRequest request) {
        return agents.create(request);
    }

    @Operation(summary = "List agents", description = "The organization's agents, oldest first.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<AgentView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return agents.list(PageRequest.of(limit, cursor));
    }

    @Operation(summary = "Get an agent", description = "One agent.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<AgentView> get(@PathParam("id") UUID id) {
        return agents.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("agent"));
    }

    @Operation(summary = "Update an agent",
            description = "Changes the given fields; an explicit null clears an optional one. The merged agent is validated as a create would be.")
    @APIResponse(responseCode = "200", description = "OK")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = AgentPatch.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @PATCH
    @Path("/{id}")
    public Uni<AgentView> update(@PathParam("id") UUID id, @NotNull AgentPatch patch) {
        return agents.update(id, patch);
    }

    @Operation(summary = "Delete an agent",
            description = "Deletes the agent; refused while phone numbers are assigned to it.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return agents.delete(id);
    }
}
