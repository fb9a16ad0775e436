package io.switchboard.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.LaunchMode;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** {@code GET /}: where a newcomer who opens the service's address finds its API description. */
@Tag(name = "Service", description = "Where the API is described.")
@Path("/")
public class IndexResource {

    /** The service's pointers; {@code swaggerUi} only where the Swagger UI is served. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Index(String service, String openapi, String swaggerUi, String health) {
    }

    private final Index index;

    /**
     * Quarkus serves the Swagger UI in dev and test mode, and in a packaged application only when it was built with
     * {@code quarkus.swagger-ui.always-include}.
     */
    public IndexResource(
            @ConfigProperty(name = "quarkus.swagger-ui.always-include", defaultValue = "false") boolean swaggerAlways) {
        boolean swaggerUi = swaggerAlways || LaunchMode.current() != LaunchMode.NORMAL;
        this.index = new Index("switchboard", "/q/openapi", swaggerUi ? "/q/swagger-ui" : null, "/q/health");
    }

    @Operation(summary = "Service index",
            description = "Points to the API description (`/q/openapi`, YAML; `?format=json` for JSON), the Swagger UI "
                    + "where it is served, and the health checks. Needs no credentials.")
    @APIResponse(responseCode = "200", description = "OK")
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Index index() {
        return index;
    }
}
