package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.LogText;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.db.JsonColumns;
import io.switchboard.webhook.VerifiedWebhook;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * An agent hands its caller on from inside the call, answered with TwiML rather than a REST redirect: a SIP agent's
 * REFER ({@link ReferWebhook}), a ConversationRelay session ended with a transfer target in its {@code handoffData}
 * ({@link AgentActionWebhook}). Accepted, it is a cold transfer: the checks of {@code POST /v1/calls/{id}/transfer},
 * the same {@code <Dial>} to the target with its action and the target's status callbacks, recorded on the call
 * ({@code transferredTo}, {@code transferStatus}, {@code transfer} events with the {@code Source} that asked),
 * serialized with the call's other control requests ({@link CallControl}). A refusal is a {@code transfer} event
 * {@code refused} with its {@code Reason}.
 */
@ApplicationScoped
class AgentHandoff {

    private static final Logger LOG = Logger.getLogger(AgentHandoff.class);
    /** Below Twilio's read timeout of the webhook (5 s by default), which would have it ask again. */
    static final Duration LEASE_WAIT = Duration.ofSeconds(2);

    /** Why a handoff is refused, and the HTTP status a REFER is refused with. */
    record Refusal(int status, String reason) {
    }

    /** The TwiML that transfers the caller, or why not. */
    record Outcome(String twiml, Refusal refusal) {

        static Outcome refused(int status, String reason) {
            return new Outcome(null, new Refusal(status, reason));
        }
    }

    private final CallControl control;
    private final CallTransferRepository transfers;
    private final TransferTwiml twiml;
    private final JsonColumns json;

    AgentHandoff(CallControl control, CallTransferRepository transfers, TransferTwiml twiml,
            JsonColumns json) {
        this.control = control;
        this.transfers = transfers;
        this.twiml = twiml;
        this.json = json;
    }

    /**
     * Transfers the call this webhook is about (its CallSid in the account that signed it, the call of {@code agentId})
     * to {@code target} (already read: an E.164 number or a SIP URI, null when the agent's was neither).
     */
    Uni<Outcome> transfer(VerifiedWebhook webhook, UUID agentId, String target, String source) {
        String callSid = webhook.param("CallSid");
        return transfers.contextOfSid(webhook.accountSid(), callSid).chain(call -> {
            if (call == null) {
                return Uni.createFrom().item(Outcome.refused(409, "call_not_found"));
            }
            if (!signedFor(call, webhook) || call.agent() == null || !call.agent().id().equals(agentId)) {
                return Uni.createFrom().item(Outcome.refused(403, "not_this_agents_call"));
            }
            return control.serialized(call.organizationId(), call.id(), LEASE_WAIT,
                    () -> transfers.contextOfSid(webhook.accountSid(), callSid)
                            .chain(current -> accept(current, target, source)))
                    .onItem().ifNull().continueWith(() -> Outcome.refused(409, "call_not_found"))
                    .onFailure(ApiException.class).recoverWithItem(busy -> Outcome.refused(409, "call_busy"))
                    .chain(outcome -> outcome.refusal() == null ? Uni.createFrom().item(outcome)
                            : refused(call, webhook, target, source, outcome.refusal()).replaceWith(outcome));
        });
    }

    private Uni<Outcome> accept(TransferContext call, String target, String source) {
        if (call == null || !call.isLive() || call.credentials() == null) {
            return Uni.createFrom().item(Outcome.refused(409, "call_not_in_progress"));
        }
        if (!call.transfersEnabled()) {
            return Uni.createFrom().item(Outcome.refused(403, "transfers_disabled"));
        }
        if (call.transferUnderWay()) {
            return Uni.createFrom().item(Outcome.refused(409, "transfer_in_progress"));
        }
        if (target == null) {
            return Uni.createFrom().item(Outcome.refused(400, "invalid_target"));
        }
        var transfer = new TransferRequest.Valid(target, TransferRequest.COLD, null, true, true);
        String xml = twiml.cold(call.id().toString(), target, CallTransferService.callerId(call, transfer), false);
        return transfers.markDialing(call.id(), transfer)
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT,
                        "dialing", params(target, source, null), CallTransferService.EVENT + "|" + source + "|"
                                + call.id() + "|" + UUID.randomUUID()))
                .invoke(() -> LOG.infof("call %s: %s accepted: cold transfer to %s", call.id(), source,
                        TransferRequest.isSip(target) ? "a SIP URI" : PhoneNumbers.redact(target)))
                .replaceWith(new Outcome(xml, null));
    }

    /** The refusal as an event of the call; a failure to store it is logged, the handoff refused all the same. */
    private Uni<Void> refused(TransferContext call, VerifiedWebhook webhook, String target, String source,
            Refusal refusal) {
        return transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT, "refused",
                params(target, source, refusal.reason()), TransferWebhooks.dedupeKey(webhook, source, call.sid(),
                        UUID.randomUUID().toString()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("call %s: refused %s not recorded: %s", call.id(), source,
                            LogText.safe(failure.getMessage()));
                    return null;
                });
    }

    private String params(String target, String source, String reason) {
        var params = new TreeMap<String, List<String>>();
        if (target != null) {
            params.put("To", List.of(target));
        }
        params.put("Mode", List.of(TransferRequest.COLD));
        params.put("Source", List.of(source));
        if (reason != null) {
            params.put("Reason", List.of(reason));
        } else {
            params.put("OnFailure", List.of("agent"));
        }
        return json.write(Map.copyOf(params));
    }

    private static boolean signedFor(TransferContext call, VerifiedWebhook webhook) {
        return webhook.signedBy() == null || call.providerId() == null
                || webhook.signedBy().contains(call.providerId());
    }
}
