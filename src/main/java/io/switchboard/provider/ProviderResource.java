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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Tag(name = "Providers",
        description = "The organization's Twilio accounts: credentials checked against Twilio, stored encrypted, rotated with a grace period.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/providers")
public class ProviderResource {

    private final ProviderService providers;

    public ProviderResource(ProviderService providers) {
        this.providers = providers;
    }

    @Operation(summary = "Connect a Twilio account",
            description = "Checks the credentials against Twilio, then stores them encrypted. The answer never carries a secret.")
    @APIResponse(responseCode = "201", description = "The provider, verified",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProviderView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @ResponseStatus(201)
    public Uni<ProviderView> create(@NotNull ProviderRequest request) {
        return providers.create(request);
    }

    @Operation(summary = "List providers", description = "The organization's providers, oldest first.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<ProviderView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return providers.list(PageRequest.of(limit, cursor));
    }

    @Operation(summary = "Get a provider", description = "One provider with the outcome of its last verification.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<ProviderView> get(@PathParam("id") UUID id) {
        return providers.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("provider"));
    }

    @Operation(summary = "Verify a provider",
            description = "Checks the stored credentials and the account's settings against Twilio again, and answers each check.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    @Path("/{id}/verify")
    public Uni<ProviderView> verify(@PathParam("id") UUID id) {
        return providers.verify(id);
    }

    /** Stops accepting the auth token the last rotation replaced, before its grace would end. */
    @Operation(summary = "End the old token's grace",
            description = "Stops accepting the auth token the last rotation replaced, before its grace period would end.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("/{id}/end-token-grace")
    public Uni<ProviderView> endTokenGrace(@PathParam("id") UUID id) {
        return providers.endTokenGrace(id);
    }

    @Operation(summary = "Update a provider",
            description = "Changes the name, rotates the credentials (checked against Twilio first; the old auth token keeps working for the grace period), sets US1 credentials or the pace. Absent fields are kept.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @PATCH
    @Path("/{id}")
    public Uni<ProviderView> update(@PathParam("id") UUID id, @NotNull ProviderPatch patch) {
        return providers.update(id, patch);
    }

    @Operation(summary = "Delete a provider",
            description = "Deletes the provider and removes the trunk and credential list it created in the Twilio account. Refused while it has imported numbers; force=true keeps those Twilio resources when their removal fails.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @APIResponse(responseCode = "502", ref = "TwilioFailed")
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id,
            @Parameter(description = "true: delete the provider even when removing its trunk and credential list "
                    + "from the Twilio account fails (they are kept there).",
                    schema = @Schema(defaultValue = "false")) @QueryParam("force") boolean force) {
        return providers.delete(id, force);
    }

    @Operation(summary = "List the account's numbers",
            description = "The phone numbers of the Twilio account, imported or not, as candidates for import.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @GET
    @Path("/{id}/available-numbers")
    public Uni<ListResponse<ProviderService.AvailableNumber>> availableNumbers(@PathParam("id") UUID id) {
        return providers.availableNumbers(id).map(items -> new ListResponse<>(items, null));
    }
}
