package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import java.util.UUID;
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/events")
public class EventResource {

    private final EventService events;

    public EventResource(EventService events) {
        this.events = events;
    }

    @GET
    public Uni<ListResponse<EventView>> list(@QueryParam("type") String type, @QueryParam("after") String after,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return events.list(type, after, limit, cursor);
    }

    @POST
    @Path("/{id}/redeliver")
    @ResponseStatus(202)
    public Uni<EventService.Redelivery> redeliver(@PathParam("id") UUID id) {
        return events.redeliver(id);
    }
}
