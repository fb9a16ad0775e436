package io.switchboard.number;

import io.smallrye.mutiny.Uni;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.util.UUID;

/**
 * {@code POST /v1/providers/{id}/import-numbers}. A class of its own, with the full path: JAX-RS picks the resource
 * class by its own path before looking at methods, so under a class at {@code /v1} this request went to the
 * {@code /v1/providers} resource, which has no such method, and was a 404.
 */
@Path("/v1/providers/{id}/import-numbers")
public class BulkImportResource {

    private final PhoneNumberService numbers;

    public BulkImportResource(PhoneNumberService numbers) {
        this.numbers = numbers;
    }

    @POST
    public Uni<BulkImportResult> importNumbers(@PathParam("id") UUID providerId, @NotNull BulkImportRequest request) {
        return numbers.importNumbers(providerId, request);
    }
}
