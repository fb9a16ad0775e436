package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An answered inbound call waiting to be written: compact (the form kept as Twilio sent it, nothing encoded), since a
 * burst of calls may hold many of these in memory while the database catches up.
 * <p>
 * A call to a number imported here is written as its call row, which keeps the webhook's form
 * ({@code call.inbound_form}) as its {@code voice-inbound} event: one row and its indexes rather than two. A call to
 * a number nobody here owns has no call row: it is written as a {@code voice-inbound} event with no organization, as
 * every callback nobody owns is, under its dedupe key.
 *
 * @param dedupeKey only for a call to a number nobody here owns (no {@code organizationId}); else null
 */
record InboundRecord(String sid, String eventStatus, OffsetDateTime receivedAt, String form, String dedupeKey,
        UUID organizationId, String from, String to, UUID agentId, UUID phoneNumberId, String status,
        String accountSid) {

    static final String VOICE_INBOUND = "voice-inbound";

    /**
     * The record of an answered inbound call, read from the webhook itself. The call row starts at the CallStatus
     * sent when the call table accepts it, else at {@code ringing}; the event keeps whatever was sent.
     * <p>
     * The call has been answered already, so nothing it sent is refused: a sid longer than any Twilio writes is cut
     * to {@link CallbackEvent#MAX_SID}, the dedupe key is bounded, and NUL (which PostgreSQL refuses in text) is left
     * out, so that every record fits its columns and none fails its insert however often it is tried.
     *
     * @param route null when the number is not imported here
     */
    static InboundRecord of(VerifiedWebhook webhook, Route route) {
        String sid = CallbackEvent.truncate(CallbackEvent.clean(webhook.param("CallSid")), CallbackEvent.MAX_SID);
        String callStatus = webhook.param("CallStatus");
        var agent = route == null ? null : route.agent();
        return new InboundRecord(sid, CallbackEvent.clean(callStatus), OffsetDateTime.now(ZoneOffset.UTC),
                CallbackEvent.clean(webhook.params().toForm()),
                route == null ? CallbackEvent.dedupeKey(webhook, VOICE_INBOUND, sid, callStatus, null) : null,
                route == null ? null : route.organizationId(), CallbackEvent.clean(webhook.param("From")),
                CallbackEvent.clean(webhook.param("To")), agent == null ? null : agent.id(),
                route == null ? null : route.numberId(), CallStatuses.isKnown(callStatus) ? callStatus : "ringing",
                webhook.accountSid());
    }
}
