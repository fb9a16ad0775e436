package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.outbound.DispatchRepository;
import io.switchboard.tenant.TenantContext;
import io.switchboard.webhook.EventView;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/** Messages and opt-outs of the caller's organization. */
@ApplicationScoped
public class MessageService {

    private final MessageRepository messages;
    private final OutboundMessageRepository outbound;
    private final DispatchRepository dispatch;
    private final Pool pool;
    private final TenantContext tenant;

    MessageService(MessageRepository messages, OutboundMessageRepository outbound, DispatchRepository dispatch,
            Pool pool, TenantContext tenant) {
        this.messages = messages;
        this.outbound = outbound;
        this.dispatch = dispatch;
        this.pool = pool;
        this.tenant = tenant;
    }

    /**
     * Stores the message, in one transaction, before the API answers 202; the outbound dispatcher sends it afterwards,
     * so nothing accepted is lost if this replica stops.
     */
    public Uni<MessageView> send(SendMessageRequest request) {
        return send(request, null);
    }

    /**
     * {@link #send(SendMessageRequest)} for a message sent during a call, linked to it: the same checks (the
     * do-not-contact list, the sender), the same durable dispatch.
     */
    public Uni<MessageView> sendDuringCall(SendMessageRequest request, UUID callId) {
        return send(request, callId);
    }

    private Uni<MessageView> send(SendMessageRequest request, UUID callId) {
        UUID organization = tenant.requireOrganization();
        request.validate();
        UUID id = UUID.randomUUID();
        String encoding = SmsEncoding.of(request.body());
        int segments = SmsEncoding.segments(request.body());
        // Microseconds, as PostgreSQL stores them, so the 202 shows the createdAt a later read will.
        var now = OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return pool.withTransaction(db -> outbound.isOptedOut(db, organization, request.to())
                .invoke(optedOut -> {
                    if (optedOut) {
                        throw ApiException.unprocessable("recipient_opted_out",
                                "the recipient is on the do-not-contact list (they replied STOP, or it was added "
                                        + "through the API)");
                    }
                })
                .chain(() -> outbound.findSender(db, organization, request.from()))
                .invoke(from -> {
                    if (from == null && request.from() != null) {
                        throw ApiException.unprocessable("from_not_imported",
                                "from is not a phone number imported by this organization");
                    }
                    if (from == null) {
                        throw ApiException.unprocessable("no_sender",
                                "the organization has no SMS-capable phone number imported");
                    }
                    if (!from.sms()) {
                        throw ApiException.unprocessable("from_not_sms_capable", "from cannot send SMS");
                    }
                    if (!from.reachesMessaging()) {
                        throw ApiException.unprocessable("us1_credentials_required", "Twilio serves messaging for "
                                + from.region().id() + " only from US1, and the provider of from has no US1 "
                                + "credentials; add us1AuthToken or a US1 API key to it");
                    }
                })
                .chain(from -> outbound.insert(db, organization, id, from, request.to(), request.body(), encoding,
                        segments, now, callId)
                        .chain(() -> dispatch.ensurePace(db, OutboundMessageRepository.DISPATCH, from.number()))
                        .replaceWith(() -> new MessageView(id, request.to(), from.number(), request.body(),
                                "queued", encoding, segments, null, null, now.toInstant(), null, callId))));
    }

    public Uni<MessageView> find(UUID id) {
        return messages.find(tenant.requireOrganization(), id);
    }

    /** Null when the message is not the caller's. */
    public Uni<List<EventView>> events(UUID id) {
        return messages.events(tenant.requireOrganization(), id);
    }

    public Uni<ListResponse<OptOutView>> optOuts(Integer limit, String cursor) {
        return messages.optOuts(tenant.requireOrganization(), PageRequest.of(limit, null).limit(),
                PageRequest.afterNumber(cursor));
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
