package io.switchboard.provider;

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

@Path("/v1/providers")
public class ProviderResource {

    private final ProviderService providers;

    public ProviderResource(ProviderService providers) {
        this.providers = providers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<ProviderView> create(@NotNull ProviderRequest request) {
        return providers.create(request);
    }

    @GET
    public Uni<ListResponse<ProviderView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return providers.list(PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{id}")
    public Uni<ProviderView> get(@PathParam("id") UUID id) {
        return providers.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("provider"));
    }

    @POST
    @Path("/{id}/verify")
    public Uni<ProviderView> verify(@PathParam("id") UUID id) {
        return providers.verify(id);
    }

    /** Stops accepting the auth token the last rotation replaced, before its grace would end. */
    @POST
    @Path("/{id}/end-token-grace")
    public Uni<ProviderView> endTokenGrace(@PathParam("id") UUID id) {
        return providers.endTokenGrace(id);
    }

    @PATCH
    @Path("/{id}")
    public Uni<ProviderView> update(@PathParam("id") UUID id, @NotNull ProviderPatch patch) {
        return providers.update(id, patch);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id, @QueryParam("force") boolean force) {
        return providers.delete(id, force);
    }

    @GET
    @Path("/{id}/available-numbers")
    public Uni<ListResponse<ProviderService.AvailableNumber>> availableNumbers(@PathParam("id") UUID id) {
        return providers.availableNumbers(id).map(items -> new ListResponse<>(items, null));
    }
}
