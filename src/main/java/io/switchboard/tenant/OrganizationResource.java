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
import org.jboss.resteasy.reactive.ResponseStatus;

/** The operator's endpoints: organizations and the keys issued to them. */
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

    @POST
    @ResponseStatus(201)
    public Uni<OrganizationCreated> create(@Valid @NotNull CreateOrganizationRequest request) {
        return organizations.create(request.name())
                .map(c -> new OrganizationCreated(c.organization().id, c.organization().name, c.key().plainKey()));
    }

    @POST
    @Path("/{id}/api-keys")
    @ResponseStatus(201)
    public Uni<ApiKeyCreated> issueKey(@PathParam("id") UUID organizationId) {
        return organizations.issueKey(organizationId).map(k -> new ApiKeyCreated(k.key().id, k.plainKey()));
    }
}
