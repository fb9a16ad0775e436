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
 * The {@code <Dial action>} of a cold transfer, requested when dialing the target ends: records how, and answers the
 * caller's leg with what comes next. {@code DialCallStatus} completed or answered: the two talked, the call ends.
 * busy, no-answer, failed, canceled: the transfer failed and the caller goes back to the agent (the agent's TwiML
 * again) or hears a goodbye, as the transfer's {@code onFailure} asked. Values as in
 * https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus-values. For a warm transfer it is the action of the
 * caller's {@code <Dial><Conference>}, requested when the conference has ended.
 */
@ApplicationScoped
public class TransferDialWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(TransferDialWebhook.class);
    /** The reason of a warm transfer whose conference ended, as far as this webhook can tell, before it was joined. */
    static final String CONFERENCE_ENDED = "conference-ended";

    private final CallTransferRepository transfers;
    private final TransferTwiml transferTwiml;
    private final CallTwiml callTwiml;

    public TransferDialWebhook(CallTransferRepository transfers, TransferTwiml transferTwiml, CallTwiml callTwiml) {
        this.transfers = transfers;
        this.transferTwiml = transferTwiml;
        this.callTwiml = callTwiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_TRANSFER;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        UUID callId = TransferWebhooks.callId(ctx, endpoint().pathParameter());
        if (callId == null) {
            answer(ctx, transferTwiml.done());
            return;
        }
        transfers.dialed(callId).chain(call -> {
            if (call == null) {
                return Uni.createFrom().item(transferTwiml.done());
            }
            if (!TransferWebhooks.mayReport(call, webhook, webhook.param("CallSid"))) {
                return Uni.createFrom().nullItem();
            }
            if (call.isWarm()) {
                return warmEnded(callId, call, webhook);
            }
            String dialStatus = webhook.param("DialCallStatus");
            boolean talked = "completed".equals(dialStatus) || "answered".equals(dialStatus);
            String outcome = talked ? "connected" : "failed";
            String next = talked ? transferTwiml.done() : afterFailure(call, webhook);
            Uni<Void> write = transfers.markOutcome(callId, outcome, talked ? null : dialStatus)
                    .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT,
                            outcome, webhook.params().toJsonString(), TransferWebhooks.dedupeKey(webhook, "dial",
                                    call.sid(), String.valueOf(webhook.param("DialCallSid")), outcome)));
            LOG.infof("call %s: transfer dial ended %s", callId, LogText.safe(dialStatus));
            return TransferWebhooks.logged(write, callId).replaceWith(next);
        }).subscribe().with(twiml -> {
            if (twiml == null) {
                ctx.response().setStatusCode(403).end();
            } else {
                answer(ctx, twiml);
            }
        }, failure -> {
            LOG.errorf("call %s: transfer dial result not read: %s", callId, LogText.safe(failure.getMessage()));
            ctx.response().setStatusCode(503).end();
        });
    }

    /**
     * A warm transfer's conference ended with the caller still on the line: the parties were joined and one hung up
     * (the call ends), or the target left before being joined (the transfer failed: back to the agent, or goodbye).
     * The conference's end event records Twilio's reason first, as a rule; a transfer still dialing here failed too.
     */
    private Uni<String> warmEnded(UUID callId, CallTransferRepository.Dialed call, VerifiedWebhook webhook) {
        if ("connected".equals(call.transferStatus())) {
            return Uni.createFrom().item(transferTwiml.done());
        }
        Uni<Void> write = !"dialing".equals(call.transferStatus()) ? Uni.createFrom().voidItem()
                : transfers.markOutcome(callId, "failed", CONFERENCE_ENDED)
                        .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(),
                                CallTransferService.EVENT, "failed", webhook.params().toJsonString(),
                                TransferWebhooks.dedupeKey(webhook, "conference-action", call.sid(), "failed")));
        LOG.infof("call %s: warm transfer conference ended before the parties were joined", callId);
        return TransferWebhooks.logged(write, callId).replaceWith(afterFailure(call, webhook));
    }

    /** Back to the agent that had the call, with the same stream parameters; or goodbye. */
    private String afterFailure(CallTransferRepository.Dialed call, VerifiedWebhook webhook) {
        return afterFailure(callTwiml, transferTwiml, call, webhook.param("CallSid"), webhook.param("From"),
                webhook.param("To"));
    }

    /** What the caller's leg runs once its transfer failed: its agent's TwiML again, or a goodbye. */
    static String afterFailure(CallTwiml callTwiml, TransferTwiml transferTwiml, CallTransferRepository.Dialed call,
            String callSid, String from, String to) {
        if (call.backToAgent() && call.agent() != null) {
            return callTwiml.connect(call.agent(), callSid, from, to);
        }
        return transferTwiml.failedHangup();
    }

    private static void answer(RoutingContext ctx, String twiml) {
        ctx.response().putHeader("Content-Type", InboundCallWebhook.TEXT_XML).end(twiml);
    }
}
