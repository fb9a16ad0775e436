package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ItemsResponse;
import io.switchboard.common.ListOrder;
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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Tag(name = "Calls",
        description = "Outbound batches, calls in and out, their events and their control while they go on.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/calls")
public class CallResource {

    private final CallService calls;
    private final CallBatchService batches;

    public CallResource(CallService calls, CallBatchService batches) {
        this.calls = calls;
        this.batches = batches;
    }

    /** Accepted once the batch is stored; the dispatcher places the calls. */
    @Operation(summary = "Place calls",
            description = "Stores a batch of outbound calls and answers at once; the dispatcher places them at the provider's pace, within the calling window.")
    @APIResponse(responseCode = "202", description = "Accepted: the batch and its queued calls",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CallBatchView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @POST
    @ResponseStatus(202)
    public Uni<CallBatchView> create(@NotNull CallBatchRequest request) {
        return batches.create(request);
    }

    @Operation(summary = "Cancel a batch", description = "Cancels the calls not placed yet.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("/batches/{batchId}/cancel")
    public Uni<BatchCancelView> cancel(@PathParam("batchId") UUID batchId) {
        return batches.cancel(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @Operation(summary = "Pause a batch", description = "Stops placing the batch's calls until it is resumed.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("/batches/{batchId}/pause")
    public Uni<BatchView> pause(@PathParam("batchId") UUID batchId) {
        return batches.pause(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @Operation(summary = "Resume a batch", description = "Places the paused batch's calls again.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @APIResponse(responseCode = "409", ref = "Conflict")
    @POST
    @Path("/batches/{batchId}/resume")
    public Uni<BatchView> resume(@PathParam("batchId") UUID batchId) {
        return batches.resume(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @Operation(summary = "List batches", description = "The organization's outbound batches with their progress.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    @Path("/batches")
    public Uni<ListResponse<BatchView>> batches(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return batches.list(PageRequest.of(limit, cursor));
    }

    @Operation(summary = "Get a batch", description = "One batch with its progress.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/batches/{batchId}")
    public Uni<BatchView> batch(@PathParam("batchId") UUID batchId) {
        return batches.find(batchId).onItem().ifNull().failWith(() -> ApiException.notFound("batch"));
    }

    @Operation(summary = "List calls",
            description = "The organization's calls, inbound and outbound, newest first unless order=asc; filtered by batch, status or Twilio CallSid.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<CallView>> list(
            @Parameter(description = "Only the calls of this outbound batch.",
                    schema = @Schema(format = "uuid")) @QueryParam("batchId") String batchId,
            @Parameter(description = "Only the calls in this status.",
                    schema = @Schema(enumeration = { "queued", "initiated", "ringing", "in-progress", "completed",
                        "busy", "no-answer", "failed", "canceled" })) @QueryParam("status") String status,
            @Parameter(description = "Only the call with this Twilio CallSid.",
                    example = "CA0123456789abcdef0123456789abcdef") @QueryParam("sid") String sid,
            @Parameter(description = ListOrder.NEWEST_FIRST,
                    schema = @Schema(enumeration = { "desc", "asc" },
                            defaultValue = "desc")) @QueryParam("order") String order,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return calls.list(batchId, status, sid, PageRequest.of(limit, cursor, order, ListOrder.DESC));
    }

    @Operation(summary = "Get a call", description = "One call, inbound or outbound.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<CallView> get(@PathParam("id") UUID id) {
        return calls.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"));
    }

    @Operation(summary = "List a call's events", description = "The status changes of one call, in order.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}/events")
    public Uni<ItemsResponse<EventView>> events(@PathParam("id") UUID id) {
        return calls.events(id).onItem().ifNull().failWith(() -> ApiException.notFound("call"))
                .map(ItemsResponse::new);
    }
}
