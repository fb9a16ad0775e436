package io.switchboard.number;

import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code POST /v1/providers/{id}/import-numbers}. A class of its own, with the full path: JAX-RS picks the resource
 * class by its own path before looking at methods, so under a class at {@code /v1} this request went to the
 * {@code /v1/providers} resource, which has no such method, and was a 404.
 */
@Tag(name = "Phone numbers",
        description = "Numbers of a Twilio account imported into Switchboard and assigned to agents.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/providers/{id}/import-numbers")
public class BulkImportResource {

    private final PhoneNumberService numbers;

    public BulkImportResource(PhoneNumberService numbers) {
        this.numbers = numbers;
    }

    @Operation(summary = "Import several numbers",
            description = "Imports each listed number of the provider's account; answers the imported ones and, for each other, why it was not.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "503", ref = "TwilioUnavailable")
    @POST
    public Uni<BulkImportResult> importNumbers(@PathParam("id") UUID providerId, @NotNull BulkImportRequest request) {
        return numbers.importNumbers(providerId, request);
    }
}
