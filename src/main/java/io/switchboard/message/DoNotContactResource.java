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
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;

@Path("/v1/do-not-contact")
public class DoNotContactResource {

    private final DoNotContactService list;

    public DoNotContactResource(DoNotContactService list) {
        this.list = list;
    }

    @GET
    public Uni<ListResponse<DoNotContactView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return list.list(limit, cursor);
    }

    /** 201 when the number is new to the list, 200 when it was listed already. */
    @POST
    public Uni<RestResponse<DoNotContactView>> add(@NotNull DoNotContactRequest request) {
        return list.add(request).map(added -> RestResponse.status(
                added.created() ? RestResponse.Status.CREATED : RestResponse.Status.OK, added.entry()));
    }

    @DELETE
    @Path("/{number}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("number") String number) {
        return list.delete(number);
    }
}
