package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.tenant.TenantContext;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code POST /v1/calls/{id}/transfer}: the live call handed to a person; answers with the call as it stands. */
@Tag(name = "Calls",
        description = "Outbound batches, calls in and out, their events and their control while they go on.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/calls")
public class CallTransferResource {

    private final CallTransferService transfers;
    private final TenantContext tenant;

    public CallTransferResource(CallTransferService transfers, TenantContext tenant) {
        this.transfers = transfers;
        this.tenant = tenant;
    }

    @Operation(summary = "Transfer a call",
            description = "Hands the live call to a person (a cold transfer); answers the call as it stands, with the transfer's outcome to follow on it.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @Path("/{id}/transfer")
    public Uni<CallView> transfer(@PathParam("id") UUID id, @NotNull TransferRequest request) {
        return transfers.transfer(tenant.requireOrganization(), id, request).onItem().ifNull()
                .failWith(() -> ApiException.notFound("call"));
    }
}
