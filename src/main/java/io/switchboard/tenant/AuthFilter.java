package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiError;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request: the operator's {@code ADMIN_TOKEN} on {@link OperatorAccess} endpoints,
 * an organization's API key everywhere else. It fixes the request's {@link TenantContext}, which scopes every query.
 */
public class AuthFilter {

    private static final String BEARER = "Bearer ";

    private final OrganizationService organizations;
    private final TenantContext tenant;
    private final byte[] adminToken;

    public AuthFilter(OrganizationService organizations, TenantContext tenant, AdminConfig admin) {
        this.organizations = organizations;
        this.tenant = tenant;
        this.adminToken = admin.token().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return Uni.createFrom().nullItem();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Uni.createFrom().item(unauthorized("missing bearer token"));
        }
        String token = header.substring(BEARER.length()).strip();
        OperatorAccess access = operatorAccess(resource);
        if (access != null) {
            if (MessageDigest.isEqual(adminToken, token.getBytes(StandardCharsets.UTF_8))) {
                tenant.actAsOperator();
                return Uni.createFrom().nullItem();
            }
            if (!access.orOrganization()) {
                return Uni.createFrom().item(unauthorized("invalid token"));
            }
        }
        if (!token.startsWith(ApiKeys.PREFIX)) {
            return Uni.createFrom().item(unauthorized("invalid API key"));
        }
        return organizations.authenticate(token).map(organizationId -> {
            if (organizationId == null) {
                return unauthorized("invalid API key");
            }
            tenant.actAsOrganization(organizationId);
            return null;
        });
    }

    private static OperatorAccess operatorAccess(ResourceInfo resource) {
        if (resource == null || resource.getResourceMethod() == null) {
            return null;
        }
        var onMethod = resource.getResourceMethod().getAnnotation(OperatorAccess.class);
        return onMethod != null ? onMethod : resource.getResourceClass().getAnnotation(OperatorAccess.class);
    }

    private static Response unauthorized(String message) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of("unauthorized", message))
                .build();
    }
}
