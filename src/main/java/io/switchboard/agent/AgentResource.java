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
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/agents")
public class AgentResource {

    private final AgentService agents;

    public AgentResource(AgentService agents) {
        this.agents = agents;
    }

    @POST
    @ResponseStatus(201)
    public Uni<AgentView> create(@NotNull AgentRequest request) {
        return agents.create(request);
    }

    @GET
    public Uni<ListResponse<AgentView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return agents.list(PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{id}")
    public Uni<AgentView> get(@PathParam("id") UUID id) {
        return agents.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("agent"));
    }

    @PATCH
    @Path("/{id}")
    public Uni<AgentView> update(@PathParam("id") UUID id, @NotNull AgentPatch patch) {
        return agents.update(id, patch);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return agents.delete(id);
    }
}
