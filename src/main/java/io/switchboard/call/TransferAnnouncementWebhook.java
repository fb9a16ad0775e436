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
 * The {@code <Number url>} of a transfer with an announcement: Twilio asks for it on the target's leg once the target
 * answers, and connects the parties when it has run, so the target hears who is calling and why before the caller.
 */
@ApplicationScoped
public class TransferAnnouncementWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(TransferAnnouncementWebhook.class);
    private static final String EMPTY = io.switchboard.twilio.Twiml.response().toXml();

    private final CallTransferRepository transfers;
    private final TransferTwiml twiml;

    public TransferAnnouncementWebhook(CallTransferRepository transfers, TransferTwiml twiml) {
        this.transfers = transfers;
        this.twiml = twiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_TRANSFER_ANNOUNCEMENT;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        UUID callId = TransferWebhooks.callId(ctx, endpoint().pathParameter());
        if (callId == null) {
            answer(ctx, EMPTY);
            return;
        }
        transfers.dialed(callId).subscribe().with(call -> {
            if (call != null && !TransferWebhooks.signedFor(call, webhook)) {
                ctx.response().setStatusCode(403).end();
            } else {
                // Empty TwiML connects the parties at once: nothing to say, or a call not known here.
                answer(ctx, call == null || call.announcement() == null ? EMPTY
                        : twiml.announcement(call.announcement()));
            }
        }, failure -> {
            LOG.errorf("call %s: transfer announcement not read: %s", callId, LogText.safe(failure.getMessage()));
            answer(ctx, EMPTY);
        });
    }

    private static void answer(RoutingContext ctx, String xml) {
        ctx.response().putHeader("Content-Type", InboundCallWebhook.TEXT_XML).end(xml);
    }
}
