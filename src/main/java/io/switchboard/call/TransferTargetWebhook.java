package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Status callbacks of a transfer's target leg: {@code answered} makes the transfer connected. They are stored as the
 * call's transfer events and never touch the call's own status, which follows the caller's leg; the target's leg
 * names the caller's as its {@code ParentCallSid}.
 */
@ApplicationScoped
public class TransferTargetWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(TransferTargetWebhook.class);

    private final CallTransferRepository transfers;

    public TransferTargetWebhook(CallTransferRepository transfers) {
        this.transfers = transfers;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_TRANSFER_TARGET;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        UUID callId = TransferWebhooks.callId(ctx, endpoint().pathParameter());
        if (callId == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        transfers.dialed(callId).chain(call -> {
            if (call == null) {
                return Uni.createFrom().item(204);
            }
            if (!TransferWebhooks.mayReport(call, webhook, webhook.param("ParentCallSid"))) {
                return Uni.createFrom().item(403);
            }
            String status = webhook.param("CallStatus");
            Uni<Void> marked = "in-progress".equals(status) ? transfers.markOutcome(callId, "connected", null)
                    : Uni.createFrom().voidItem();
            return marked.chain(() -> transfers.storeEvent(call.organizationId(), call.sid(),
                    CallTransferService.EVENT, "target-" + status, webhook.params().toJsonString(),
                    TransferWebhooks.dedupeKey(webhook, "target", String.valueOf(webhook.param("CallSid")),
                            String.valueOf(status))))
                    .replaceWith(204);
        }).subscribe().with(status -> ctx.response().setStatusCode(status).end(), failure -> {
            LOG.errorf("call %s: transfer target callback not stored: %s", callId,
                    LogText.safe(failure.getMessage()));
            ctx.response().setStatusCode(503).end();
        });
    }
}
