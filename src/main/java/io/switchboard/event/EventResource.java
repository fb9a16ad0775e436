package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
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

@Tag(name = "Events", description = "What happened to calls and messages, as delivered to the event subscriptions.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/events")
public class EventResource {

    private final EventService events;

    public EventResource(EventService events) {
        this.events = events;
    }

    @Operation(summary = "List events",
            description = "The organization's events, filtered by type and by time (after).")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<EventView>> list(
            @Parameter(description = "Only the events of this type.", schema = @Schema(enumeration = {
                "call.initiated", "call.ringing", "call.answered", "call.completed", "call.recording.completed",
                "message.sent", "message.delivered", "message.read", "message.failed", "message.received",
                "batch.finished", "number.imported", "number.deleted", "provider.verification_failed",
                "subscription.paused", "ping" })) @QueryParam("type") String type,
            @Parameter(description = "An event id: the events after it, oldest first. Not with cursor.",
                    schema = @Schema(format = "uuid")) @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return events.list(type, after, limit, cursor);
    }

    @Operation(summary = "Redeliver an event",
            description = "Delivers the event again to every subscription that takes it.")
    @APIResponse(responseCode = "202", description = "Redelivery queued",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = EventService.Redelivery.class)))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @POST
    @Path("/{id}/redeliver")
    @ResponseStatus(202)
    public Uni<EventService.Redelivery> redeliver(@PathParam("id") UUID id) {
        return events.redeliver(id);
    }
}
