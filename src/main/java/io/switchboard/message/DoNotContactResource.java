package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

@Tag(name = "Do not contact", description = "Numbers the organization never calls or texts.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/do-not-contact")
public class DoNotContactResource {

    private final DoNotContactService list;

    public DoNotContactResource(DoNotContactService list) {
        this.list = list;
    }

    @Operation(summary = "List the do-not-contact numbers", description = "The organization's do-not-contact list.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<DoNotContactView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return list.list(limit, cursor);
    }

    /** 201 when the number is new to the list, 200 when it was listed already. */
    @Operation(summary = "Add a number",
            description = "Adds a number to the list; adding one already listed answers 200 with the entry.")
    @APIResponse(responseCode = "201", description = "Added",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DoNotContactView.class)))
    @APIResponse(responseCode = "200", description = "Listed already",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = DoNotContactView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @POST
    public Uni<RestResponse<DoNotContactView>> add(@NotNull DoNotContactRequest request) {
        return list.add(request).map(added -> RestResponse.status(
                added.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, added.entry()));
    }

    @Operation(summary = "Remove a number", description = "Removes the number from the list.")
    @APIResponse(responseCode = "204", description = "Removed")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @DELETE
    @Path("/{number}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("number") String number) {
        return list.delete(number);
    }
}
