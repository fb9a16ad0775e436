package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
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

@Tag(name = "API keys", description = "The organization's own API keys.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/api-keys")
public class ApiKeyResource {

    /** A key as listed: never the key itself. */
    public record ApiKeyView(UUID id, String prefix, Instant createdAt, Instant revokedAt) {
        static ApiKeyView of(ApiKey key) {
            return new ApiKeyView(key.id, key.keyPrefix, key.createdAt, key.revokedAt);
        }
    }

    /** A new key: the only answer that carries the key itself. */
    public record ApiKeyCreated(UUID id, String apiKey, String prefix, Instant createdAt) {
    }

    private final OrganizationService organizations;

    public ApiKeyResource(OrganizationService organizations) {
        this.organizations = organizations;
    }

    /** The caller's own keys, revoked ones included. */
    @Operation(summary = "List API keys",
            description = "The caller's own keys, revoked ones included; never the key itself, only its prefix.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<ApiKeyView>> list(@QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return organizations.listKeys(PageRequest.of(limit, cursor)).map(page -> page.map(ApiKeyView::of));
    }

    @Operation(summary = "Create an API key",
            description = "Creates another key of the caller's organization, for a rotation: create the new key, move "
                    + "the clients to it, revoke the old one. The key is answered only here (only its hash is stored): keep it.")
    @APIResponse(responseCode = "201", description = "The new key",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ApiKeyCreated.class)))
    @POST
    @ResponseStatus(201)
    public Uni<ApiKeyCreated> create() {
        return organizations.createOwnKey()
                .map(k -> new ApiKeyCreated(k.key().id, k.plainKey(), k.key().keyPrefix, k.key().createdAt));
    }

    @Operation(summary = "Revoke an API key",
            description = "Revokes a key at once. The organization revokes its own keys; the operator (ADMIN_TOKEN) any organization's.")
    @SecurityRequirement(name = "bearer")
    @SecurityRequirement(name = "adminToken")
    @APIResponse(responseCode = "204", description = "Revoked")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @DELETE
    @Path("/{id}")
    @OperatorAccess(orOrganization = true)
    @ResponseStatus(204)
    public Uni<Void> revoke(@PathParam("id") UUID id) {
        return organizations.revokeKey(id);
    }
}
