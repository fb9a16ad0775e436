package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ItemsResponse;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.webhook.EventView;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/calls")
public class CallResource {

    private final CallService calls;
    private final CallBatchService batches;

    public CallResource(CallService calls, CallBatchService batches) {
        this.calls = calls;
        this.batches = batches;
    }

    /** Accepted once the batch is stored; the dispatcher places the calls. */
    @POST
    @ResponseStatus(202)
    public Uni<CallBatchView> create(@NotNull CallBatchRequest request) {
        return batches.create(request);
    }

    @POST
    @Path("/batches/{batchId}/cancel")
    public Uni<BatchCancelView> cancel(@PathParam("batchId") UUID batchId) {
        return batches.cancel(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @POST
    @Path("/batches/{batchId}/pause")
    public Uni<BatchView> pause(@PathParam("batchId") UUID batchId) {
        return batches.pause(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @POST
    @Path("/batches/{batchId}/resume")
    public Uni<BatchView> resume(@PathParam("batchId") UUID batchId) {
        return batches.resume(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @GET
    @Path("/batches")
    public Uni<ListResponse<BatchView>> batches(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return batches.list(PageRequest.of(limit, cursor));
    }

    @GET
    @Path("/batches/{batchId}")
    public Uni<BatchView> batch(@PathParam("batchId") UUID batchId) {
        return batches.find(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
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
