package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.EventView;
import io.switchboard.common.ItemsResponse;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;

@Path("/v1/calls")
public class CallResource {

    private final CallService calls;

    public CallResource(CallService calls) {
        this.calls = calls;
    }

    @GET
    public Uni<ListResponse<CallView>> list(@QueryParam("batchId") String batchId,
            @QueryParam("status") String status, @QueryParam("sid") String sid,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return calls.list(batchId, status, sid, PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/{id}")
    public Uni<CallView> get(@PathParam("id") UUID id) {
        return calls.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    @GET
    @Path("/{id}/events")
    public Uni<ItemsResponse<EventView>> events(@PathParam("id") UUID id) {
        return calls.events(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"))
                .map(ItemsResponse::new);
    }
}
