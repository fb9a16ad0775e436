package io.switchboard.call;

import io.switchboard.common.LogText;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The callee of an outbound call answered: connect them to the call's agent. Outbound calls are not in the routing
 * table, so their agent is read with the call, once per answered call; a call this service does not know is hung up.
 */
@ApplicationScoped
public class OutboundCallWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(OutboundCallWebhook.class);

    private final CallEventRepository calls;
    private final CallTwiml twiml;

    public OutboundCallWebhook(CallEventRepository calls, CallTwiml twiml) {
        this.calls = calls;
        this.twiml = twiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_OUTBOUND;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        UUID callId;
        try {
            callId = UUID.fromString(ctx.pathParam(endpoint().pathParameter()));
        } catch (IllegalArgumentException e) {
            answer(ctx, twiml.hangup());
            return;
        }
        // The answer is built before the subscription, so that a failure to build it is answered too.
        calls.findOutboundAnswer(callId).map(call -> answerFor(call, webhook)).subscribe().with(answer -> {
            if (answer == null) {
                ctx.response().setStatusCode(403).end();
            } else {
                answer(ctx, answer);
            }
        }, failure -> {
            LOG.errorf("outbound call %s: could not answer: %s", callId, LogText.safe(failure.getMessage()));
            ctx.response().setStatusCode(503).end();
        });
    }

    /**
     * The TwiML for the answered call; null when it was not signed by the provider that placed the call (another
     * account, or another organization's copy of the same account's token).
     */
    private String answerFor(CallEventRepository.OutboundAnswer call, VerifiedWebhook webhook) {
        if (call == null) {
            return twiml.hangup();
        }
        if (!call.accountSid().equals(webhook.accountSid()) || !call.providerId().equals(webhook.providerId())) {
            return null;
        }
        return twiml.connect(call.agent(), webhook.param("CallSid"), webhook.param("From"), webhook.param("To"),
                call.parameters());
    }

    private static void answer(RoutingContext ctx, String twiml) {
        ctx.response().putHeader("Content-Type", InboundCallWebhook.TEXT_XML).end(twiml);
    }
}
