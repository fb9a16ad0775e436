package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.common.Validation;
import io.switchboard.tenant.TenantContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The caller's event subscriptions: their receivers checked, their secrets made, sealed and rotated. */
@ApplicationScoped
public class SubscriptionService {

    static final int MAX_DESCRIPTION = 500;

    private final SubscriptionRepository repository;
    private final EventRepository events;
    private final SigningSecrets secrets;
    private final Receivers receivers;
    private final EventsConfig config;
    private final TenantContext tenant;

    SubscriptionService(SubscriptionRepository repository, EventRepository events, SigningSecrets secrets,
            Receivers receivers, EventsConfig config, TenantContext tenant) {
        this.repository = repository;
        this.events = events;
        this.secrets = secrets;
        this.receivers = receivers;
        this.config = config;
        this.tenant = tenant;
    }

    /** The stored subscription with its secret, shown this once. */
    public Uni<SubscriptionView> create(SubscriptionRequest request) {
        UUID organization = tenant.requireOrganization();
        var check = new Validation();
        checkUrlShape(check, request.url());
        List<String> types = eventTypes(check, request.events() == null ? null : List.copyOf(request.events()));
        checkDescription(check, request.description());
        check.throwIfInvalid();
        UUID id = UUID.randomUUID();
        String secret = WebhookSignatures.newSecret();
        return reachable(request.url())
                .chain(() -> repository.insert(organization, id, request.url(), types, request.description(),
                        secrets.seal(id, secret)))
                .map(view -> view.withSecret(secret));
    }

    public Uni<ListResponse<SubscriptionView>> list(Integer limit, String cursor) {
        var page = PageRequest.of(limit, cursor);
        return repository.list(tenant.requireOrganization(), page)
                .map(rows -> page.toResponse(rows, SubscriptionView::createdAt, SubscriptionView::id));
    }

    public Uni<SubscriptionView> get(UUID id) {
        return repository.find(tenant.requireOrganization(), id).map(SubscriptionService::found);
    }

    public Uni<SubscriptionView> update(UUID id, SubscriptionPatch patch) {
        UUID organization = tenant.requireOrganization();
        var check = new Validation();
        String url = null;
        if (patch.url() != null) {
            if (!patch.url().isTextual()) {
                check.error("url", "must be a string");
            } else {
                url = patch.url().asText();
                checkUrlShape(check, url);
            }
        }
        List<String> types = null;
        if (patch.events() != null) {
            if (!patch.events().isArray()) {
                check.error("events", "must be an array of event types");
            } else {
                var named = new ArrayList<String>();
                patch.events().forEach(node -> named.add(node.isTextual() ? node.asText() : null));
                types = eventTypes(check, named);
            }
        }
        String description = null;
        if (patch.description() != null && !patch.description().isNull()) {
            if (!patch.description().isTextual()) {
                check.error("description", "must be a string or null");
            } else {
                description = patch.description().asText();
                checkDescription(check, description);
            }
        }
        Boolean paused = null;
        if (patch.paused() != null) {
            if (!patch.paused().isBoolean()) {
                check.error("paused", "must be true or false");
            } else {
                paused = patch.paused().asBoolean();
            }
        }
        check.throwIfInvalid();
        String newUrl = url;
        List<String> newTypes = types;
        String newDescription = description;
        Boolean newPaused = paused;
        return (newUrl == null ? Uni.createFrom().voidItem() : reachable(newUrl))
                .chain(() -> repository.update(organization, id, newUrl, newTypes, patch.description() != null,
                        newDescription, newPaused))
                .map(SubscriptionService::found);
    }

    public Uni<Void> delete(UUID id) {
        return repository.delete(tenant.requireOrganization(), id).invoke(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("event subscription");
            }
        }).replaceWithVoid();
    }

    /** A new secret, shown this once; the replaced one signs beside it for {@code switchboard.events.secret-overlap}. */
    public Uni<SubscriptionView> rotateSecret(UUID id) {
        String secret = WebhookSignatures.newSecret();
        return repository.rotate(tenant.requireOrganization(), id, secrets.seal(id, secret), config.secretOverlap())
                .map(SubscriptionService::found)
                .map(view -> view.withSecret(secret));
    }

    /** Records a {@code ping} for this subscription alone; its id. */
    public Uni<UUID> ping(UUID id) {
        UUID organization = tenant.requireOrganization();
        return repository.find(organization, id).map(SubscriptionService::found)
                .chain(view -> events.ping(organization, view.id()));
    }

    public Uni<ListResponse<DeliveryAttemptView>> deliveries(UUID id, Integer limit, String cursor) {
        UUID organization = tenant.requireOrganization();
        int size = PageRequest.of(limit, null).limit();
        Long before = beforeAttempt(cursor);
        return repository.find(organization, id).map(SubscriptionService::found)
                .chain(view -> events.attempts(organization, view.id(), before, size));
    }

    static Long beforeAttempt(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(PageRequest.decodeCursor(cursor));
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // Not a cursor this API wrote: refused below.
        }
        throw PageRequest.badCursor();
    }

    private Uni<Void> reachable(String url) {
        return receivers.resolve(url).replaceWithVoid()
                .onFailure(Receivers.Refused.class)
                .transform(e -> ApiException.badRequest("url", e.getMessage().substring("url ".length())));
    }

    private void checkUrlShape(Validation check, String url) {
        ReceiverAddresses.checkUrl(url, receivers.allowInsecure()).ifPresent(problem -> check.error("url", problem));
    }

    private static List<String> eventTypes(Validation check, List<String> named) {
        if (named == null || named.isEmpty()) {
            check.error("events", "must list at least one event type, or [\"*\"]");
            return List.of();
        }
        var types = new LinkedHashSet<String>();
        for (String type : named) {
            if (type == null || !(EventTypes.isKnown(type) || EventTypes.ALL.equals(type))) {
                check.error("events", "unknown event type; one of " + String.join(", ", EventTypes.NAMES) + ", or *");
                return List.of();
            }
            types.add(type);
        }
        if (types.contains(EventTypes.ALL) && types.size() > 1) {
            check.error("events", "\"*\" takes every type and stands alone");
        }
        return List.copyOf(types);
    }

    private static void checkDescription(Validation check, String description) {
        check.require(description == null || description.length() <= MAX_DESCRIPTION, "description",
                "must be at most " + MAX_DESCRIPTION + " characters");
    }

    private static SubscriptionView found(Optional<SubscriptionView> view) {
        return view.orElseThrow(() -> ApiException.notFound("event subscription"));
    }
}
