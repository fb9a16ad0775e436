package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.CallbackAnswers;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Call status callbacks. Each answers 204 only once it is stored, and 503 when it could not be, so Twilio retries: a
 * 2xx is never given for a callback that was lost.
 */
@ApplicationScoped
public class CallStatusWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(CallStatusWebhook.class);

    private final CallEventRepository events;
    private final RoutingTable routing;
    private final CallRetryRepository retries;
    private final CallbackAnswers answers;

    public CallStatusWebhook(CallEventRepository events, RoutingTable routing, CallRetryRepository retries,
            CallbackAnswers answers) {
        this.events = events;
        this.routing = routing;
        this.retries = retries;
        this.answers = answers;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_STATUS;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = answers.requireSid(webhook, "CallSid", ctx);
        if (sid == null) {
            return;
        }
        var write = CallEventWrite.statusCallback(webhook, inboundRoute(webhook));
        UUID callId = CallbackAnswers.idInQuery(ctx, WebhookEndpoint.CALL_ID);
        if (callId == null) {
            store(ctx, write, null);
            return;
        }
        // The sid first, so the upsert finds the outbound row; a lost race for the sid is only logged, the callback
        // is stored all the same.
        events.attachOutboundSid(callId, sid, webhook.accountSid(), webhook.signedByArray())
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("outbound call %s: sid %s not attached: %s", callId, sid,
                            LogText.safe(failure.getMessage()));
                    return null;
                })
                .subscribe().with(ok -> store(ctx, write, callId), failure -> store(ctx, write, callId));
    }

    /**
     * The final status of an outbound call also schedules its batch's retry, before the 204: when that fails, the
     * 503 has Twilio deliver the callback again, and the redelivery schedules it (at most once; see
     * {@link CallRetryRepository}). A redelivered callback tries again too, for a replica that stopped in between.
     */
    private void store(RoutingContext ctx, CallEventWrite write, UUID callId) {
        Uni<Boolean> stored = events.store(write);
        if (callId != null && CallStatuses.isTerminal(write.status())) {
            String sid = write.event().sid();
            stored = stored.call(() -> retries.scheduleAfter(callId, sid, write.accountSid(), write.signedBy())
                    .invoke(attempt -> {
                        if (attempt != null) {
                            LOG.infof("outbound call %s ended %s: attempt %d scheduled", callId, write.status(),
                                    attempt);
                        }
                    }));
        }
        answers.noContentOnceStored(ctx, write.event(), stored);
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
}
