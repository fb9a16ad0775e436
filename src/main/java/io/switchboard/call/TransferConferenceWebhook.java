package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The status callback of a warm transfer's conference, which moves the transfer on
 * (https://www.twilio.com/docs/voice/twiml/conference#statuscallbackevent):
 * <ul>
 * <li>{@code participant-join} of the caller, with an announcement to make: the caller is put on hold (hold music),
 * so that the briefing is the target's alone;
 * <li>{@code participant-join} of the target: it is told the announcement (the participant's {@code AnnounceUrl},
 * heard by that participant only), or, with none, the parties are joined: the transfer is connected;
 * <li>{@code announcement-end} of the target: the caller is taken off hold, and the transfer is connected;
 * <li>{@code conference-end} before the parties were joined: the transfer failed with Twilio's
 * {@code ReasonConferenceEnded}, and a target leg that may still ring is ended, so nothing is left of it.
 * </ul>
 * Hold and announcement as in https://www.twilio.com/docs/voice/api/conference-participant-resource#update-a-participant-resource.
 */
@ApplicationScoped
public class TransferConferenceWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(TransferConferenceWebhook.class);

    private final CallTransferRepository transfers;
    private final TwilioClient twilio;
    private final TransferTwiml twiml;

    public TransferConferenceWebhook(CallTransferRepository transfers, TwilioClient twilio, TransferTwiml twiml) {
        this.transfers = transfers;
        this.twilio = twilio;
        this.twiml = twiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_TRANSFER_CONFERENCE;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        TransferWebhooks.answer(ctx, endpoint().pathParameter(), transfers, "transfer conference event",
                (callId, call) -> {
                    if (!TransferWebhooks.signedFor(call, webhook) || !call.isWarm()) {
                        return Uni.createFrom().item(403);
                    }
                    String event = String.valueOf(webhook.param("StatusCallbackEvent"));
                    String conference = webhook.param("ConferenceSid");
                    String leg = webhook.param("CallSid");
                    boolean dialing = "dialing".equals(call.transferStatus());
                    Uni<Void> step = switch (event) {
                        case "participant-join" -> dialing && conference != null && leg != null
                                ? joined(callId, call, conference, leg, webhook)
                                : none();
                        case "announcement-end" -> dialing && conference != null && !call.sid().equals(leg)
                                ? connect(callId, call, conference, true, webhook)
                                : none();
                        case "conference-end" -> dialing ? ended(callId, call, webhook) : none();
                        default -> none();
                    };
                    return TransferWebhooks.logged(step, callId).replaceWith(204);
                });
    }

    private Uni<Void> joined(UUID callId, CallTransferRepository.Dialed call, String conference, String leg,
            VerifiedWebhook webhook) {
        if (call.credentials() == null) {
            return none();
        }
        if (call.sid().equals(leg)) {
            return call.announcement() == null ? none()
                    : twilio.updateParticipant(call.credentials(), conference, leg, true, TransferTwiml.HOLD_MUSIC,
                            null).replaceWithVoid();
        }
        if (call.announcement() != null) {
            return twilio.updateParticipant(call.credentials(), conference, leg, null, null,
                    twiml.announcementUrl(callId.toString())).replaceWithVoid();
        }
        return connect(callId, call, conference, false, webhook);
    }

    /** Caller and target are joined: the caller back from hold when it was held for the briefing. */
    private Uni<Void> connect(UUID callId, CallTransferRepository.Dialed call, String conference, boolean held,
            VerifiedWebhook webhook) {
        Uni<Void> unheld = held && call.credentials() != null
                ? twilio.updateParticipant(call.credentials(), conference, call.sid(), false, null, null)
                        .replaceWithVoid()
                : none();
        LOG.infof("call %s: warm transfer connected", callId);
        return unheld.chain(() -> transfers.markOutcome(callId, "connected", null))
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT,
                        "connected", webhook.params().toJsonString(),
                        TransferWebhooks.dedupeKey(webhook, "conference", conference, "connected")));
    }

    private Uni<Void> ended(UUID callId, CallTransferRepository.Dialed call, VerifiedWebhook webhook) {
        String reason = webhook.param("ReasonConferenceEnded");
        LOG.infof("call %s: warm transfer conference ended before the parties were joined (%s)", callId,
                LogText.safe(reason));
        Uni<Void> endTarget = call.targetSid() == null || call.credentials() == null ? none()
                : twilio.updateCall(call.credentials(), call.targetSid(), "completed").replaceWithVoid()
                        .onFailure().recoverWithItem(failure -> {
                            LOG.warnf("call %s: transfer target leg not ended: %s", callId,
                                    LogText.safe(failure.getMessage()));
                            return null;
                        });
        return transfers.markOutcome(callId, "failed", reason == null ? TransferDialWebhook.CONFERENCE_ENDED : reason)
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), CallTransferService.EVENT,
                        "failed", webhook.params().toJsonString(),
                        TransferWebhooks.dedupeKey(webhook, "conference", String.valueOf(
                                webhook.param("ConferenceSid")), "failed")))
                .chain(() -> endTarget);
    }

    private static Uni<Void> none() {
        return Uni.createFrom().voidItem();
    }
}
