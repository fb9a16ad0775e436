package io.switchboard.number;

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

@Path("/v1/phone-numbers")
public class PhoneNumberResource {

    private final PhoneNumberService numbers;

    public PhoneNumberResource(PhoneNumberService numbers) {
        this.numbers = numbers;
    }

    @POST
    @ResponseStatus(201)
    public Uni<PhoneNumberView> importNumber(@NotNull ImportRequest request) {
        return numbers.importNumber(request);
    }

    @GET
    public Uni<ListResponse<PhoneNumberView>> list(@QueryParam("providerId") String providerId,
            @QueryParam("agentId") String agentId, @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return numbers.list(PhoneNumberService.parseId(providerId, "providerId").orElse(null),
                PhoneNumberService.parseId(agentId, "agentId").orElse(null), PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{id}")
    public Uni<PhoneNumberView> get(@PathParam("id") UUID id) {
        return numbers.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("phone number"));
    }

    @PATCH
    @Path("/{id}")
    public Uni<PhoneNumberView> update(@PathParam("id") UUID id, @NotNull PhoneNumberPatch patch) {
        return numbers.update(id, patch);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id, @QueryParam("force") boolean force) {
        return numbers.delete(id, force);
    }
}
