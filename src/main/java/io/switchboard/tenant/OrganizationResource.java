package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.tenant.OrganizationRepository.OrganizationRow;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

/** The operator's endpoints: organizations and the keys issued to them. */
@Tag(name = "Organizations",
        description = "The operator's endpoints: organizations and the API keys issued to them. Authorize with the ADMIN_TOKEN.")
@SecurityRequirement(name = "adminToken")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/organizations")
@OperatorAccess
public class OrganizationResource {

    public record CreateOrganizationRequest(
            @NotBlank @Size(max = 100, message = "must be 1 to 100 characters") String name) {
    }

    public record OrganizationCreated(UUID id, String name, String apiKey) {
    }

    public record ApiKeyCreated(UUID id, String apiKey) {
    }

    /** An organization as the operator lists it; never its keys. */
    public record OrganizationView(UUID id, String name, Instant createdAt) {
        static OrganizationView of(OrganizationRow row) {
            return new OrganizationView(row.id(), row.name(), row.createdAt());
        }
    }

    private final OrganizationService organizations;

    public OrganizationResource(OrganizationService organizations) {
        this.organizations = organizations;
    }

    @Operation(summary = "Create an organization",
            description = "Creates an organization and its first API key. The key is answered only here: keep it. Takes the operator's ADMIN_TOKEN.")
    @APIResponse(responseCode = "201", description = "The organization, with its API key",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = OrganizationCreated.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @POST
    @ResponseStatus(201)
    public Uni<OrganizationCreated> create(@Valid @NotNull CreateOrganizationRequest request) {
        return organizations.create(request.name())
                .map(c -> new OrganizationCreated(c.organization().id, c.organization().name, c.key().plainKey()));
    }

    @Operation(summary = "Issue an API key",
            description = "Issues another API key to the organization, for a rotation; the key is answered only here. Takes the operator's ADMIN_TOKEN.")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKeyCreated.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @POST
    @Path("/{id}/api-keys")
    @ResponseStatus(201)
    public Uni<ApiKeyCreated> issueKey(@PathParam("id") UUID organizationId) {
        return organizations.issueKey(organizationId).map(k -> new ApiKeyCreated(k.key().id, k.plainKey()));
    }

    @Operation(summary = "List organizations",
            description = "Every organization, oldest first, paged with limit and cursor. Takes the operator's ADMIN_TOKEN.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<OrganizationView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return organizations.list(PageRequest.of(limit, cursor)).map(page -> page.map(OrganizationView::of));
    }

    @Operation(summary = "Get an organization", description = "Takes the operator's ADMIN_TOKEN.")
    @APIResponse(responseCode = "200", description = "OK",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = OrganizationView.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<OrganizationView> get(@PathParam("id") UUID id) {
        return organizations.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("organization"))
                .map(OrganizationView::of);
    }

    @Operation(summary = "Delete an organization",
            description = "Deletes the organization and everything this service keeps of it (agents, calls, messages, "
                    + "events, event subscriptions, API keys, the do-not-contact list) in one transaction; its keys stop "
                    + "working at once. Refused with 409 organization_not_empty, naming each kind and how many remain, "
                    + "while it has providers or phone numbers: delete those first (DELETE /v1/phone-numbers/{id}, then "
                    + "DELETE /v1/providers/{id}), which restores the numbers' configuration and removes the SIP trunk "
                    + "in the customer's Twilio account. Takes the operator's ADMIN_TOKEN.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return organizations.delete(id);
    }
}
