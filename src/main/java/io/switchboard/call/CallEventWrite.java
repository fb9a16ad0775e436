package io.switchboard.call;

import io.switchboard.reconcile.ReconciledEvent;
import io.switchboard.routing.Route;
import io.switchboard.twilio.TwilioCall;
import io.switchboard.twilio.TwilioErrorCodes;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * What one call callback writes: its event, and the facts it brings to the call row. Built only by the factories
 * below, each reading the verified webhook itself, so no caller lines up a row of values that two could be swapped
 * in; {@link CallEventRepository} binds it to its statement in one place.
 */
final class CallEventWrite {

    static final String VOICE_STATUS = "voice-status";
    static final String RECORDING = "recording";

    private final CallbackEvent event;
    private final String accountSid;
    private final Route route;
    private final String from;
    private final String to;
    private final String status;
    private final Integer errorCode;
    private final String errorMessage;
    private final OffsetDateTime answeredAt;
    private final OffsetDateTime endedAt;
    private final Integer durationSeconds;
    private final String recordingUrl;
    private final UUID[] signedBy;

    private CallEventWrite(CallbackEvent event, String accountSid, UUID[] signedBy, Route route, String from, String to,
            String status, Integer errorCode, String errorMessage, OffsetDateTime answeredAt, OffsetDateTime endedAt,
            Integer durationSeconds, String recordingUrl) {
        this.event = event;
        this.signedBy = signedBy;
        this.accountSid = accountSid;
        this.route = route;
        this.from = from;
        this.to = to;
        this.status = status;
        this.errorCode = errorCode;
        this.errorMessage = errorMessage;
        this.answeredAt = answeredAt;
        this.endedAt = endedAt;
        this.durationSeconds = durationSeconds;
        this.recordingUrl = recordingUrl;
    }

    /**
     * A call status callback: the status when the call table accepts it, when the call was answered (in progress)
     * or ended (a terminal status, with its duration), and any error code.
     *
     * @param inboundRoute the imported number an inbound call came to, so a callback that overtakes the inbound-call
     *        record can create the row; null for any other call
     */
    static CallEventWrite statusCallback(VerifiedWebhook webhook, Route inboundRoute) {
        String callStatus = webhook.param("CallStatus");
        var event = CallbackEvent.of(webhook, VOICE_STATUS, webhook.param("CallSid"), callStatus,
                CallbackEvent.integer(webhook.param("SequenceNumber")));
        String status = CallStatuses.isKnown(callStatus) ? callStatus : null;
        var at = event.at(webhook.param("Timestamp"));
        boolean terminal = CallStatuses.isTerminal(status);
        Integer code = CallbackEvent.integer(webhook.param("ErrorCode"));
        Integer errorCode = code == null || code == 0 ? null : code;
        // Twilio's own words when it sent them, else what the code means: a code alone tells a reader nothing.
        String errorMessage = errorCode == null ? null
                : TwilioErrorCodes.message(errorCode, CallbackEvent.clean(webhook.param("ErrorMessage")));
        Integer duration = terminal ? CallbackEvent.integer(webhook.param("CallDuration")) : null;
        return new CallEventWrite(event, webhook.accountSid(), webhook.signedByArray(), inboundRoute,
                CallbackEvent.clean(webhook.param("From")), CallbackEvent.clean(webhook.param("To")), status,
                errorCode, errorMessage,
                "in-progress".equals(status) ? at : answeredBefore(status, at, duration), terminal ? at : null,
                duration, null);
    }

    /**
     * When a call that ended {@code completed} was answered: its end less its duration. Only a connected call ends
     * {@code completed} ("The connected call has now been disconnected", https://help.twilio.com/articles/223132547),
     * and its CallDuration counts the connected time. A number's status callback, which every inbound call reports to,
     * sends only that final event (Twilio's default {@code StatusCallbackEvent} is {@code completed}), never the
     * {@code in-progress} that says when; an {@code in-progress} time that did arrive is kept, since the upsert keeps
     * the first answered time it stored.
     */
    private static OffsetDateTime answeredBefore(String status, OffsetDateTime endedAt, Integer durationSeconds) {
        if (!"completed".equals(status) || endedAt == null || durationSeconds == null || durationSeconds < 0) {
            return null;
        }
        return endedAt.minusSeconds(durationSeconds);
    }

    /**
     * A status Twilio reported when asked about the call, written as its status callback would be: the call was
     * answered at its start time (in progress), or ended at its end time with its duration (a terminal status).
     * Only an existing row of the account is updated.
     */
    static CallEventWrite reconciled(TwilioCall call, String sid, String accountSid) {
        var params = new LinkedHashMap<String, String>();
        params.put("AccountSid", accountSid);
        params.put("CallSid", sid);
        params.put("CallStatus", call.status());
        params.put("Direction", call.direction());
        params.put("CallDuration", call.durationSeconds() == null ? null : call.durationSeconds().toString());
        var event = ReconciledEvent.of(sid, call.status(), params);
        String status = CallStatuses.isKnown(call.status()) ? call.status() : null;
        boolean terminal = CallStatuses.isTerminal(status);
        OffsetDateTime endedAt = terminal ? orElse(call.endTime(), event.receivedAt()) : null;
        OffsetDateTime answeredAt = "in-progress".equals(status) ? orElse(call.startTime(), event.receivedAt())
                : answeredBefore(status, endedAt, call.durationSeconds());
        return new CallEventWrite(event, accountSid, null, null, null, null, status, null, null, answeredAt,
                endedAt, terminal ? call.durationSeconds() : null, null);
    }

    private static OffsetDateTime orElse(OffsetDateTime time, OffsetDateTime otherwise) {
        return time != null ? time : otherwise;
    }

    /** A recording status callback: only a completed recording brings its URL; nothing else of the call changes. */
    static CallEventWrite recording(VerifiedWebhook webhook) {
        String recordingStatus = webhook.param("RecordingStatus");
        var event = CallbackEvent.of(webhook, RECORDING, webhook.param("CallSid"), recordingStatus, null);
        // Several recordings of one call (in-progress, completed) each have their own sid in the dedupe key.
        if (webhook.idempotencyToken() == null) {
            event = event.withDedupeKey(event.dedupeKey() + "|" + webhook.param("RecordingSid"));
        }
        String url = "completed".equals(recordingStatus) ? CallbackEvent.clean(webhook.param("RecordingUrl")) : null;
        return new CallEventWrite(event, webhook.accountSid(), webhook.signedByArray(), null, null, null, null, null,
                null, null, null, null, url);
    }

    CallbackEvent event() {
        return event;
    }

    /** The account that signed the callback: only its own calls are touched. */
    String accountSid() {
        return accountSid;
    }

    /**
     * The providers whose tokens signed the callback: a call of another provider is neither read nor changed, as if
     * unknown. Null when not restricted (a status Twilio reported when asked).
     */
    UUID[] signedBy() {
        return signedBy;
    }

    /** The imported number an inbound call came to (organization, agent, number), or null. */
    Route route() {
        return route;
    }

    String from() {
        return from;
    }

    String to() {
        return to;
    }

    /** A CallStatus the call table accepts, or null when the callback says nothing about it. */
    String status() {
        return status;
    }

    Integer errorCode() {
        return errorCode;
    }

    /** Twilio's message of the error code, or a description of the code; null without a code. */
    String errorMessage() {
        return errorMessage;
    }

    OffsetDateTime answeredAt() {
        return answeredAt;
    }

    OffsetDateTime endedAt() {
        return endedAt;
    }

    Integer durationSeconds() {
        return durationSeconds;
    }

    String recordingUrl() {
        return recordingUrl;
    }
}
