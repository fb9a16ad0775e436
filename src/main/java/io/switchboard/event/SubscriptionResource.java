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
import org.jboss.resteasy.reactive.ResponseStatus;

@Path("/v1/event-subscriptions")
public class SubscriptionResource {

    private final SubscriptionService subscriptions;

    public SubscriptionResource(SubscriptionService subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** 201 with the signing secret, shown only here and in the answer of a rotation. */
    @POST
    @ResponseStatus(201)
    public Uni<SubscriptionView> create(@NotNull SubscriptionRequest request) {
        return subscriptions.create(request);
    }

    @GET
    public Uni<ListResponse<SubscriptionView>> list(@QueryParam("limit") Integer limit,
            @QueryParam("cursor") String cursor) {
        return subscriptions.list(limit, cursor);
    }

    @GET
    @Path("/{id}")
    public Uni<SubscriptionView> get(@PathParam("id") UUID id) {
        return subscriptions.get(id);
    }

    @PATCH
    @Path("/{id}")
    public Uni<SubscriptionView> update(@PathParam("id") UUID id, @NotNull SubscriptionPatch patch) {
        return subscriptions.update(id, patch);
    }

    @DELETE
    @Path("/{id}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("id") UUID id) {
        return subscriptions.delete(id);
    }

    @POST
    @Path("/{id}/rotate-secret")
    public Uni<SubscriptionView> rotateSecret(@PathParam("id") UUID id) {
        return subscriptions.rotateSecret(id);
    }

    /** 202: a {@code ping} event is recorded for this subscription and delivered like any other. */
    @POST
    @Path("/{id}/test")
    @ResponseStatus(202)
    public Uni<Map<String, UUID>> test(@PathParam("id") UUID id) {
        return subscriptions.ping(id).map(eventId -> Map.of("eventId", eventId));
    }

    @GET
    @Path("/{id}/deliveries")
    public Uni<ListResponse<DeliveryAttemptView>> deliveries(@PathParam("id") UUID id,
            @QueryParam("limit") Integer limit, @QueryParam("cursor") String cursor) {
        return subscriptions.deliveries(id, limit, cursor);
    }
}
