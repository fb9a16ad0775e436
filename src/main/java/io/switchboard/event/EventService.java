package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The caller's events: the replay list and redelivery. */
@ApplicationScoped
public class EventService {

    /** The answer of a redelivery: how many deliveries are pending for the event now. */
    public record Redelivery(UUID eventId, int deliveries) {
    }

    private final EventRepository repository;
    private final TenantContext tenant;

    EventService(EventRepository repository, TenantContext tenant) {
        this.repository = repository;
        this.tenant = tenant;
    }

    /** {@code after}: an event id (go on after it); {@code cursor}: a page's {@code nextCursor}; not both. */
    public Uni<ListResponse<EventView>> list(String type, String after, Integer limit, String cursor) {
        UUID organization = tenant.requireOrganization();
        int size = PageRequest.of(limit, null).limit();
        if (type != null && !EventTypes.isKnown(type)) {
            throw ApiException.badRequest("type", "unknown event type; one of " + String.join(", ", EventTypes.NAMES));
        }
        boolean hasCursor = cursor != null && !cursor.isBlank();
        if (after != null && hasCursor) {
            throw ApiException.badRequest("after", "cannot be given with cursor");
        }
        if (hasCursor) {
            return repository.list(organization, type, EventRepository.Position.of(cursor), size);
        }
        if (after == null) {
            return repository.list(organization, type, null, size);
        }
        UUID afterId = uuid("after", after);
        return repository.positionOf(organization, afterId)
                .map(found -> found.orElseThrow(() -> ApiException.badRequest("after", "is not an event of yours")))
                .chain(position -> repository.list(organization, type, position, size));
    }

    public Uni<Redelivery> redeliver(UUID eventId) {
        return repository.redeliver(tenant.requireOrganization(), eventId)
                .map(n -> new Redelivery(eventId, n.orElseThrow(() -> ApiException.notFound("event"))));
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "must be an event id");
        }
    }
}
