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
import java.time.format.DateTimeParseException;
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
                        .replaceWith(() -> new MessageView(id, "outbound", request.to(), from.number(), request.body(),
                                "queued", encoding, segments, null, null, now.toInstant(), null, callId))));
    }

    public Uni<MessageView> find(UUID id) {
        return messages.find(tenant.requireOrganization(), id);
    }

    /**
     * The caller's messages; every filter is optional, and a bad one is a 400 naming it. {@code after} and
     * {@code before} are ISO-8601 instants bounding createdAt: from {@code after} (inclusive) to {@code before}
     * (exclusive), so consecutive ranges neither overlap nor leave a gap.
     */
    public Uni<ListResponse<MessageView>> list(String direction, String number, String status, String after,
            String before, PageRequest page) {
        direction = blankToNull(direction);
        if (direction != null && !direction.equals("inbound") && !direction.equals("outbound")) {
            throw ApiException.badRequest("direction", "must be inbound or outbound");
        }
        number = blankToNull(number);
        if (number != null && !PhoneNumbers.isE164(number)) {
            // An unencoded + reads as a space in a query string: the likeliest mistake, so the message says it.
            throw ApiException.badRequest("number", "must be an E.164 phone number (in a query, + is written %2B)");
        }
        status = blankToNull(status);
        if (status != null && MessageStatuses.rank(status) == null) {
            throw ApiException.badRequest("status", "is not a message status");
        }
        OffsetDateTime from = instant("after", after);
        OffsetDateTime until = instant("before", before);
        if (from != null && until != null && !until.isAfter(from)) {
            throw ApiException.badRequest("before", "must be later than after");
        }
        return messages.list(tenant.requireOrganization(),
                new MessageRepository.Filter(direction, number, status, from, until), page);
    }

    /** Null when the message is not the caller's. */
    public Uni<List<EventView>> events(UUID id) {
        return messages.events(tenant.requireOrganization(), id);
    }

    public Uni<ListResponse<OptOutView>> optOuts(Integer limit, String cursor) {
        return messages.optOuts(tenant.requireOrganization(), PageRequest.of(limit, null).limit(),
                PageRequest.afterNumber(cursor));
    }

    /** An ISO-8601 instant ({@code 2024-05-01T12:00:00Z}, an offset allowed) within what createdAt can hold. */
    private static OffsetDateTime instant(String field, String value) {
        value = blankToNull(value);
        if (value == null) {
            return null;
        }
        try {
            var at = OffsetDateTime.parse(value).withOffsetSameInstant(ZoneOffset.UTC);
            // PostgreSQL's timestamptz holds years 4713 BC to 294276 AD; a wider instant would fail in the database.
            if (at.getYear() >= 1 && at.getYear() <= 9999) {
                return at;
            }
        } catch (DateTimeParseException e) {
            // Refused below.
        }
        throw ApiException.badRequest(field, "must be an ISO-8601 date and time, such as 2024-05-01T12:00:00Z");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
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
