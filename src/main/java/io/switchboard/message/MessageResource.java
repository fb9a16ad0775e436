package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ItemsResponse;
import io.switchboard.common.ListOrder;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.webhook.EventView;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
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

@Tag(name = "Messages",
        description = "SMS sent from and received by the organization's numbers, and the recipients who opted out.")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "401", ref = "Unauthorized")
@Path("/v1")
public class MessageResource {

    private final MessageService messages;

    public MessageResource(MessageService messages) {
        this.messages = messages;
    }

    /** Accepted once the message is stored; the dispatcher sends it. */
    @Operation(summary = "Send an SMS",
            description = "Stores the message and answers at once; the dispatcher sends it through Twilio. Refused for a recipient who opted out.")
    @APIResponse(responseCode = "202", description = "Accepted: the message as stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "422", ref = "Unprocessable")
    @POST
    @Path("/messages")
    @ResponseStatus(202)
    public Uni<MessageView> send(@NotNull SendMessageRequest request) {
        return messages.send(request);
    }

    @Operation(summary = "List messages",
            description = "The organization's messages, sent and received, newest first unless order=asc; filtered by direction, number, status and time.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    @Path("/messages")
    public Uni<ListResponse<MessageView>> list(
            @Parameter(description = "inbound: received by the organization's numbers; outbound: sent from them.",
                    schema = @Schema(
                            enumeration = { "inbound", "outbound" })) @QueryParam("direction") String direction,
            @Parameter(description = "Only the messages from or to this number (E.164).",
                    example = "+14155550100") @QueryParam("number") String number,
            @Parameter(description = "Only the messages in this status.",
                    schema = @Schema(enumeration = { "accepted", "scheduled", "queued", "sending", "sent", "receiving",
                        "partially_delivered", "delivered", "undelivered", "failed", "canceled", "received",
                        "read" })) @QueryParam("status") String status,
            @Parameter(description = "Only the messages created at or after this instant (ISO-8601).",
                    schema = @Schema(format = "date-time"),
                    example = "2024-05-01T00:00:00Z") @QueryParam("after") String after,
            @Parameter(description = "Only the messages created before this instant (ISO-8601).",
                    schema = @Schema(format = "date-time"),
                    example = "2024-05-02T00:00:00Z") @QueryParam("before") String before,
            @Parameter(description = ListOrder.NEWEST_FIRST,
                    schema = @Schema(enumeration = { "desc", "asc" },
                            defaultValue = "desc")) @QueryParam("order") String order,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return messages.list(direction, number, status, after, before,
                PageRequest.of(limit, cursor, order, ListOrder.DESC));
    }

    @Operation(summary = "Get a message", description = "One message with its delivery status.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/messages/{id}")
    public Uni<MessageView> get(@PathParam("id") UUID id) {
        return messages.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("message"));
    }

    @Operation(summary = "List a message's events", description = "The status changes of one message, in order.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @GET
    @Path("/messages/{id}/events")
    public Uni<ItemsResponse<EventView>> events(@PathParam("id") UUID id) {
        return messages.events(id).onItem().ifNull().failWith(() -> ApiException.notFound("message"))
                .map(ItemsResponse::new);
    }

    @Operation(summary = "List opt-outs", description = "The recipients who answered STOP, who are not sent SMS.")
    @APIResponse(responseCode = "200", description = "OK")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @GET
    @Path("/opt-outs")
    public Uni<ListResponse<OptOutView>> optOuts(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return messages.optOuts(limit, cursor);
    }

    @Operation(summary = "Delete an opt-out", description = "Sends SMS to the number again, as when it answers START.")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", ref = "BadRequest")
    @APIResponse(responseCode = "404", ref = "NotFound")
    @DELETE
    @Path("/opt-outs/{number}")
    @ResponseStatus(204)
    public Uni<Void> deleteOptOut(@PathParam("number") String number) {
        return messages.deleteOptOut(number);
    }
}
