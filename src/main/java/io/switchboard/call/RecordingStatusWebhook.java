package io.switchboard.call;

import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.CallbackAnswers;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/** Recording status callbacks: stored as the call's events, and a completed recording's URL on the call. */
@ApplicationScoped
public class RecordingStatusWebhook implements WebhookHandler {

    private final CallEventRepository events;

    public RecordingStatusWebhook(CallEventRepository events) {
        this.events = events;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_RECORDING;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = CallbackAnswers.requireSid(webhook, "CallSid", ctx);
        if (sid == null) {
            return;
        }
        var write = CallEventWrite.recording(webhook);
        CallbackAnswers.noContentOnceStored(ctx, write.event(), events.store(write));
    }
}
