package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ItemsResponse;
import io.switchboard.common.ListResponse;
import io.switchboard.webhook.EventView;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1")
public class MessageResource {

    private final MessageService messages;

    public MessageResource(MessageService messages) {
        this.messages = messages;
    }

    /** Accepted once the message is stored; the dispatcher sends it. */
    @POST
    @Path("/messages")
    @ResponseStatus(202)
    public Uni<MessageView> send(@NotNull SendMessageRequest request) {
        return messages.send(request);
    }

    @GET
    @Path("/messages/{id}")
    public Uni<MessageView> get(@PathParam("id") UUID id) {
        return messages.find(id).onItem().ifNull().failWith(() -> ApiException.notFound("message"));
    }

    @GET
    @Path("/messages/{id}/events")
    public Uni<ItemsResponse<EventView>> events(@PathParam("id") UUID id) {
        return messages.events(id).onItem().ifNull().failWith(() -> ApiException.notFound("message"))
                .map(ItemsResponse::new);
    }

    @GET
    @Path("/opt-outs")
    public Uni<ListResponse<OptOutView>> optOuts(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return messages.optOuts(limit, cursor);
    }

    @DELETE
    @Path("/opt-outs/{number}")
    @ResponseStatus(204)
    public Uni<Void> deleteOptOut(@PathParam("number") String number) {
        return messages.deleteOptOut(number);
    }
}
