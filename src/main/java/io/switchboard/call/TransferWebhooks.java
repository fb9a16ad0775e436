package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import java.util.function.BiFunction;
import org.jboss.logging.Logger;

/** What the two transfer webhooks share: the call their path names, and who may report on it. */
final class TransferWebhooks {

    private static final Logger LOG = Logger.getLogger(TransferWebhooks.class);

    private TransferWebhooks() {
    }

    /**
     * Answers a callback about a transfer: 400 for a path that names no call, 204 for a call not found (nothing to
     * do), else the status {@code answer} makes of the call; 503 when that failed, so that Twilio tries again.
     */
    static void answer(RoutingContext ctx, String parameter, CallTransferRepository transfers, String what,
            BiFunction<UUID, CallTransferRepository.Dialed, Uni<Integer>> answer) {
        UUID callId = callId(ctx, parameter);
        if (callId == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        transfers.dialed(callId)
                .chain(call -> call == null ? Uni.createFrom().item(204) : answer.apply(callId, call))
                .subscribe().with(status -> ctx.response().setStatusCode(status).end(), failure -> {
                    LOG.errorf("call %s: %s not stored: %s", callId, what, LogText.safe(failure.getMessage()));
                    ctx.response().setStatusCode(503).end();
                });
    }

    /** The call id of the path; null when it is not one. */
    static UUID callId(RoutingContext ctx, String parameter) {
        try {
            return UUID.fromString(ctx.pathParam(parameter));
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /**
     * Whether the webhook may report on this call: signed for the call's account, by its provider when the signature
     * names the providers it matched, and about the call's own leg (the caller's: the target's leg reports its
     * {@code ParentCallSid}).
     */
    static boolean mayReport(CallTransferRepository.Dialed call, VerifiedWebhook webhook, String callerLegSid) {
        return signedFor(call, webhook) && call.sid() != null && call.sid().equals(callerLegSid);
    }

    /** Signed for the call's account, by its provider when the signature names the providers it matched. */
    static boolean signedFor(CallTransferRepository.Dialed call, VerifiedWebhook webhook) {
        return call.accountSid() != null && call.accountSid().equals(webhook.accountSid())
                && (webhook.signedBy() == null || call.providerId() == null
                        || webhook.signedBy().contains(call.providerId()));
    }

    /** The event, keyed by Twilio's idempotency token when it sent one, else by what it reports. */
    static String dedupeKey(VerifiedWebhook webhook, String... parts) {
        if (webhook.idempotencyToken() != null) {
            return CallTransferService.EVENT + "|" + webhook.idempotencyToken();
        }
        return CallTransferService.EVENT + "|" + String.join("|", parts);
    }

    /** A write that failed is logged; the webhook is answered all the same (the caller must not hear an error). */
    static Uni<Void> logged(Uni<Void> write, UUID callId) {
        return write.onFailure().recoverWithItem(failure -> {
            LOG.errorf("call %s: transfer outcome not stored: %s", callId, LogText.safe(failure.getMessage()));
            return null;
        });
    }
}
