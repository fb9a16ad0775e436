package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/api-keys")
public class ApiKeyResource {

    /** A key as listed: never the key itself. */
    public record ApiKeyView(UUID id, String prefix, Instant createdAt, Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id, key.keyPrefix, key.createdAt, key.revokedAt);
        }
    }

    private final OrganizationService organizations;

    public ApiKeyResource(OrganizationService organizations) {
        this.organizations = organizations;
    }

    /** The caller's own keys, revoked ones included. */
    @GET
    public Uni<ListResponse<ApiKeyView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return organizations.listKeys(PageRequest.of(limit, cursor)).map(page -> page.map(ApiKeyView::of));
    }

    @DELETE
    @Path("/{id}")
    @OperatorAccess(orOrganization = true)
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("id") UUID id) {
        return organizations.revokeKey(id);
    }
}
