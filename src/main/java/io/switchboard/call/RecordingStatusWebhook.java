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
    private final CallbackAnswers answers;

    public RecordingStatusWebhook(CallEventRepository events, CallbackAnswers answers) {
        this.events = events;
        this.answers = answers;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_RECORDING;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = answers.requireSid(webhook, "CallSid", ctx);
        if (sid == null) {
            return;
        }
        var write = CallEventWrite.recording(webhook);
        answers.noContentOnceStored(ctx, write.event(), events.store(write));
    }
}
