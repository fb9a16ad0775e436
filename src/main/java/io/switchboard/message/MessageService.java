package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.tenant.TenantContext;
import io.switchboard.webhook.EventView;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Messages and opt-outs of the caller's organization. */
@ApplicationScoped
public class MessageService {

    private final MessageRepository messages;
    private final TenantContext tenant;

    public MessageService(MessageRepository messages, TenantContext tenant) {
        this.messages = messages;
        this.tenant = tenant;
    }

    public Uni<MessageView> find(UUID id) {
        return messages.find(tenant.requireOrganization(), id);
    }

    /** Null when the message is not the caller's. */
    public Uni<List<EventView>> events(UUID id) {
        return messages.events(tenant.requireOrganization(), id);
    }

    public Uni<ListResponse<OptOutView>> optOuts(Integer limit, String cursor) {
        int size = PageRequest.of(limit, null).limit();
        String after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("cursor", "is not a cursor returned by this API");
            }
        }
        return messages.optOuts(tenant.requireOrganization(), size, after);
    }

    /** Lets the number be messaged again; 404 when it had not opted out. */
    public Uni<Void> deleteOptOut(String number) {
        if (!PhoneNumbers.isE164(number)) {
            throw ApiException.badRequest("number", "must be an E.164 phone number");
        }
        return messages.deleteOptOut(tenant.requireOrganization(), number).invoke(deleted -> {
            if (!deleted) {
                throw ApiException.notFound("opt-out");
            }
        }).replaceWithVoid();
    }
}
