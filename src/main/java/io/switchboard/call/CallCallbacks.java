package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Call status and recording callbacks. Each answers 204 only once it is stored, and 503 when it could not be, so
 * Twilio retries: a 2xx is never given for a callback that was lost. The signature gate ran before these handlers.
 */
@ApplicationScoped
public class CallCallbacks {

    private static final Logger LOG = Logger.getLogger(CallCallbacks.class);
    static final String VOICE_STATUS = "voice-status";
    static final String RECORDING = "recording";

    private final CallEventRepository events;
    private final RoutingTable routing;

    public CallCallbacks(CallEventRepository events, RoutingTable routing) {
        this.events = events;
        this.routing = routing;
    }

    void mount(@Observes Router router) {
        router.post("/twilio/voice/status").handler(this::status);
        router.post("/twilio/voice/recording").handler(this::recording);
    }

    void status(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        String sid = webhook.param("CallSid");
        if (sid == null || sid.isBlank()) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        String callStatus = webhook.param("CallStatus");
        var event = CallbackEvent.of(webhook, VOICE_STATUS, sid, callStatus,
                CallbackEvent.integer(webhook.param("SequenceNumber")));
        String status = CallStatuses.isKnown(callStatus) ? callStatus : null;
        var at = event.at(webhook.param("Timestamp"));
        boolean terminal = CallStatuses.isTerminal(status);
        var write = new CallEventWrite(event, webhook.accountSid(), inboundRoute(webhook),
                CallbackEvent.clean(webhook.param("From")),
                CallbackEvent.clean(webhook.param("To")), status, errorCode(webhook),
                "in-progress".equals(status) ? at : null, terminal ? at : null,
                terminal ? CallbackEvent.integer(webhook.param("CallDuration")) : null, null);
        UUID callId = outboundCallId(ctx);
        if (callId == null) {
            store(ctx, write);
            return;
        }
        // The sid first, so the upsert below finds the outbound row; a lost race for the sid is only logged, the
        // callback is stored all the same.
        events.attachOutboundSid(callId, sid, webhook.accountSid())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("outbound call %s: sid %s not attached: %s", callId, sid, failure.getMessage());
                    return null;
                })
                .subscribe().with(ok -> store(ctx, write), failure -> store(ctx, write));
    }

    /** The call id this service put in the StatusCallback URL of an outbound call it placed, if any. */
    private static UUID outboundCallId(RoutingContext ctx) {
        String callId = ctx.queryParams().get("callId");
        if (callId == null) {
            return null;
        }
        try {
            return UUID.fromString(callId);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void recording(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        String sid = webhook.param("CallSid");
        if (sid == null || sid.isBlank()) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        String recordingStatus = webhook.param("RecordingStatus");
        var event = CallbackEvent.of(webhook, RECORDING, sid, recordingStatus, null);
        // Several recordings of one call (in-progress, completed) each have their own sid in the dedupe key.
        if (webhook.idempotencyToken() == null) {
            event = new CallbackEvent(event.type(), event.sid(), event.status(), null, event.receivedAt(),
                    event.params(), event.dedupeKey() + "|" + webhook.param("RecordingSid"));
        }
        String url = "completed".equals(recordingStatus) ? CallbackEvent.clean(webhook.param("RecordingUrl")) : null;
        store(ctx, new CallEventWrite(event, webhook.accountSid(), null, null, null, null, null, null, null, null,
                url));
    }

    private void store(RoutingContext ctx, CallEventWrite write) {
        events.store(write).subscribe().with(
                inserted -> ctx.response().setStatusCode(204).end(),
                failure -> {
                    LOG.errorf("%s callback for %s not stored, answering 503 so Twilio retries: %s",
                            write.event().type(), write.event().sid(), failure.getMessage());
                    ctx.response().setStatusCode(503).end();
                });
    }

    /**
     * The imported number an inbound call came to, so a status callback that overtakes the inbound-call record can
     * create the row; only when the number belongs to the account that signed the callback.
     */
    private Route inboundRoute(VerifiedWebhook webhook) {
        if (!"inbound".equals(webhook.param("Direction")) || webhook.param("To") == null) {
            return null;
        }
        return routing.find(webhook.param("To")).filter(r -> r.accountSid().equals(webhook.accountSid()))
                .orElse(null);
    }

    private static Integer errorCode(VerifiedWebhook webhook) {
        Integer code = CallbackEvent.integer(webhook.param("ErrorCode"));
        return code == null || code == 0 ? null : code;
    }
}
