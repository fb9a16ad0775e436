package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Status callbacks of a transfer's target leg: {@code answered} makes a cold transfer connected. They are stored as
 * the call's transfer events and never touch the call's own status, which follows the caller's leg; a cold transfer's
 * target leg names the caller's as its {@code ParentCallSid}, a warm one's is the leg the transfer recorded (a call of
 * its own, placed by the Participants API). A warm transfer's target that ends unanswered (busy, no-answer, failed,
 * canceled: https://www.twilio.com/docs/voice/api/call-resource#call-status-values) fails the transfer, and the
 * caller, waiting alone in the conference, is given its agent's TwiML again or a goodbye; its leaving ends the
 * conference.
 */
@ApplicationScoped
public class TransferTargetWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(TransferTargetWebhook.class);
    private static final Set<String> UNANSWERED = Set.of("busy", "no-answer", "failed", "canceled");

    private final CallTransferRepository transfers;
    private final TwilioClient twilio;
    private final TransferTwiml transferTwiml;
    private final CallTwiml callTwiml;

    public TransferTargetWebhook(CallTransferRepository transfers, TwilioClient twilio, TransferTwiml transferTwiml,
            CallTwiml callTwiml) {
        this.transfers = transfers;
        this.twilio = twilio;
        this.transferTwiml = transferTwiml;
        this.callTwiml = callTwiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_TRANSFER_TARGET;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        TransferWebhooks.answer(ctx, endpoint().pathParameter(), transfers, "transfer target callback",
                (callId, call) -> {
                    String status = webhook.param("CallStatus");
                    Uni<Void> marked;
                    if (call.isWarm()) {
                        if (!TransferWebhooks.signedFor(call, webhook)
                                || (call.targetSid() != null && !call.targetSid().equals(webhook.param("CallSid")))) {
                            return Uni.createFrom().item(403);
                        }
                        marked = UNANSWERED.contains(status) && "dialing".equals(call.transferStatus())
                                ? unanswered(callId, call, status, webhook)
                                : Uni.createFrom().voidItem();
                    } else {
                        if (!TransferWebhooks.mayReport(call, webhook, webhook.param("ParentCallSid"))) {
                            return Uni.createFrom().item(403);
                        }
                        marked = "in-progress".equals(status) ? transfers.markOutcome(callId, "connected", null)
                                : Uni.createFrom().voidItem();
                    }
                    return marked.chain(() -> transfers.storeEvent(call.organizationId(), call.sid(),
                            CallTransferService.EVENT, "target-" + status, webhook.params().toJsonString(),
                            TransferWebhooks.dedupeKey(webhook, "target", String.valueOf(webhook.param("CallSid")),
                                    String.valueOf(status))))
                            .replaceWith(204);
                });
    }

    /** The warm transfer failed with the target's status, and the caller leaves the conference for what comes next. */
    private Uni<Void> unanswered(UUID callId, CallTransferRepository.Dialed call, String status,
            VerifiedWebhook webhook) {
        String next = TransferDialWebhook.afterFailure(callTwiml, transferTwiml, call, call.sid(), call.from(),
                call.to());
        LOG.infof("call %s: warm transfer target ended %s", callId, LogText.safe(status));
        Uni<Void> back = call.credentials() == null ? Uni.createFrom().voidItem()
                : twilio.redirectCall(call.credentials(), call.sid(), next).replaceWithVoid()
                        .onFailure().recoverWithItem(failure -> {
                            // The caller hung up meanwhile: its leaving has ended the conference already.
                            LOG.warnf("call %s: caller not given its TwiML back: %s", callId,
                                    LogText.safe(failure.getMessage()));
                            return null;
                        });
        return transfers.markOutcome(callId, "failed", status)
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT,
                        "failed", webhook.params().toJsonString(),
                        CallTransferService.EVENT + "|" + callId + "|failed|" + call.targetSid()))
                .chain(() -> back);
    }
}
