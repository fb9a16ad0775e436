package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.tenant.TenantContext;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;

/** {@code POST /v1/calls/{id}/transfer}: the live call handed to a person; answers with the call as it stands. */
@Path("/v1/calls")
public class CallTransferResource {

    private final CallTransferService transfers;
    private final TenantContext tenant;

    public CallTransferResource(CallTransferService transfers, TenantContext tenant) {
        this.transfers = transfers;
        this.tenant = tenant;
    }

    @POST
    @Path("/{id}/transfer")
    public Uni<CallView> transfer(@PathParam("id") UUID id, @NotNull TransferRequest request) {
        return transfers.transfer(tenant.requireOrganization(), id, request).onItem().ifNull()
                .failWith(() -> ApiException.notFound("call"));
    }
}
