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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Tag(name = "Phone numbers",
        description = "Numbers of a Twilio account imported into Switchboard and assigned to agents.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/phone-numbers")
public class PhoneNumberResource {

    private final PhoneNumberService numbers;

    public PhoneNumberResource(PhoneNumberService numbers) {
        this.numbers = numbers;
    }

    @Operation(summary = "Import a number",
            description = "Imports a number of the provider's Twilio account: points its voice and messaging webhooks at Switchboard, optionally assigned to an agent.")
    @APIResponse(responseCode = "201", description = "The imported number",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = PhoneNumberView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @ResponseStatus(201)
    public Uni<PhoneNumberView> importNumber(@NotNull ImportRequest request) {
        return numbers.importNumber(request);
    }

    @Operation(summary = "List phone numbers",
            description = "The organization's numbers, filtered by provider or agent.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<PhoneNumberView>> list(
            @Parameter(description = "Only the numbers of this provider.",
                    schema = @Schema(format = "uuid")) @QueryParam("providerId") String providerId,
            @Parameter(description = "Only the numbers assigned to this agent.",
                    schema = @Schema(format = "uuid")) @QueryParam("agentId") String agentId,
            @QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return numbers.list(PhoneNumberService.parseId(providerId, "providerId").orElse(null),
                PhoneNumberService.parseId(agentId, "agentId").orElse(null), PageRequest.of(limit, cursor));
    }

    @Operation(summary = "Get a phone number", description = "One imported number.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<PhoneNumberView> get(@PathParam("id") UUID id) {
        return numbers.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("phone number"));
    }

    @Operation(summary = "Update a phone number",
            description = "Assigns the number to an agent (agentId: null unassigns) or changes its label (label: null clears). Absent fields are kept.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @PATCH
    @Path("/{id}")
    public Uni<PhoneNumberView> update(@PathParam("id") UUID id, @NotNull PhoneNumberPatch patch) {
        return numbers.update(id, patch);
    }

    @Operation(summary = "Delete a phone number",
            description = "Releases the number and restores its previous configuration in Twilio; refused while it is assigned to an agent. force=true releases it even when that restore fails.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "502", ref = "TwilioFailed")
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id,
            @Parameter(description = "true: release the number even when restoring its previous configuration in "
                    + "Twilio fails.", schema = @Schema(defaultValue = "false")) @QueryParam("force") boolean force) {
        return numbers.delete(id, force);
    }
}
