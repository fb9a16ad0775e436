package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.ResponseStatus;

@Tag(name = "Event subscriptions", description = "Signed, ordered deliveries of events to the organization's URLs.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1/event-subscriptions")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;

    public SubscriptionResource(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** 201 with the signing secret, shown only here and in the answer of a rotation. */
    @Operation(summary = "Create a subscription",
            description = "Subscribes a URL to event types. The answer carries the signing secret, shown only here and in a rotation's answer.")
    @APIResponse(responseCode = "201", description = "The subscription with its signing secret",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = SubscriptionView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @POST
    @ResponseStatus(201)
    public Uni<SubscriptionView> create(@NotNull SubscriptionRequest request) {
        return subscriptions.create(request);
    }

    @Operation(summary = "List subscriptions", description = "The organization's subscriptions.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    public Uni<ListResponse<SubscriptionView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return subscriptions.list(limit, cursor);
    }

    @Operation(summary = "Get a subscription", description = "One subscription, without its secret.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}")
    public Uni<SubscriptionView> get(@PathParam("id") UUID id) {
        return subscriptions.get(id);
    }

    @Operation(summary = "Update a subscription",
            description = "Changes the URL, the event types, the description (null clears) or pauses it. Absent fields are kept.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @PATCH
    @Path("/{id}")
    public Uni<SubscriptionView> update(@PathParam("id") UUID id, @NotNull SubscriptionPatch patch) {
        return subscriptions.update(id, patch);
    }

    @Operation(summary = "Delete a subscription",
            description = "Deletes the subscription: no more events are delivered to its URL.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return subscriptions.delete(id);
    }

    @Operation(summary = "Rotate the signing secret", description = "Issues a new signing secret, answered only here.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @POST
    @Path("/{id}/rotate-secret")
    public Uni<SubscriptionView> rotateSecret(@PathParam("id") UUID id) {
        return subscriptions.rotateSecret(id);
    }

    /** 202: a {@code ping} event is recorded for this subscription and delivered like any other. */
    @Operation(summary = "Send a test event",
            description = "Records a ping event for this subscription, delivered like any other.")
    @APIResponse(responseCode = "202", description = "The ping event's id",
            content = @Content(mediaType = "application/json", schema = @Schema(ref = "SubscriptionPing")))
    @APIResponse(responseCode = "404", ref = "NotFound")
    @POST
    @Path("/{id}/test")
    @ResponseStatus(202)
    public Uni<Map<String, UUID>> test(@PathParam("id") UUID id) {
        return subscriptions.ping(id).map(eventId -> Map.of("eventId", eventId));
    }

    @Operation(summary = "List delivery attempts",
            description = "The attempts to deliver events to this subscription, with their answers.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/{id}/deliveries")
    public Uni<ListResponse<DeliveryAttemptView>> deliveries(@PathParam("id") UUID id,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return subscriptions.deliveries(id, limit, cursor);
    }
}
