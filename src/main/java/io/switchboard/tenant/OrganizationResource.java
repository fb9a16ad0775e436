package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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
}
