package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiError;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Authenticates every {@code /v1} request: the operator's {@code ADMIN_TOKEN} on {@link OperatorAccess} endpoints,
 * an organization's API key everywhere else. It fixes the request's {@link TenantContext}, which scopes every query.
 */
public class AuthFilter {

    private static final String BEARER = "Bearer ";

    private final OrganizationService organizations;
    private final TenantContext tenant;
    private final AuthFailures failures;
    private final byte[] adminToken;

    public AuthFilter(OrganizationService organizations, TenantContext tenant, AuthFailures failures,
            AdminConfig admin) {
        this.organizations = organizations;
        this.tenant = tenant;
        this.failures = failures;
        this.adminToken = admin.token().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * A client address past its failures is answered 429 before anything is looked up. The address is the peer's,
     * or the one the proxy forwarded when {@code quarkus.http.proxy.*} trusts it.
     */
    @ServerRequestFilter(priority = Priorities.AUTHENTICATION)
    public Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource,
            HttpServerRequest http) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return Uni.createFrom().nullItem();
        }
        String client = http.remoteAddress() == null ? "unknown" : http.remoteAddress().hostAddress();
        Duration wait = failures.blocked(client);
        if (wait != null) {
            return Uni.createFrom().item(tooManyFailures(wait));
        }
        Uni<Response> refusal = authenticate(request, resource);
        return refusal.invoke(response -> {
            if (response != null) {
                failures.failed(client);
            }
        });
    }

    private Uni<Response> authenticate(ContainerRequestContext request, ResourceInfo resource) {
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
        UUID known = organizations.recentlyVerified(token);
        if (known != null) {
            tenant.actAsOrganization(known);
            return Uni.createFrom().nullItem();
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

    private static Response tooManyFailures(Duration wait) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        return Response.status(429)
                .header(HttpHeaders.RETRY_AFTER, seconds)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of("too_many_failed_authentications",
                        "too many failed authentications from this address; retry after " + seconds + " s"))
                .build();
    }

    private static Response unauthorized(String message) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of("unauthorized", message))
                .build();
    }
}
