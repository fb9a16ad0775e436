package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.LogText;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.db.JsonColumns;
import io.switchboard.twilio.ParticipantRequest;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Hands a live call to a person: checks that the call and its provider allow it, records the transfer, and has
 * Twilio run the transfer's TwiML on the caller's leg, in the region and with the credentials of the call's provider.
 * One control request at a time per call ({@link CallControl}), so a transfer asked for twice is placed once.
 */
@ApplicationScoped
public class CallTransferService {

    private static final Logger LOG = Logger.getLogger(CallTransferService.class);
    /** Twilio's "Call is not in-progress. Cannot redirect." (https://www.twilio.com/docs/api/errors/21220). */
    static final int NOT_IN_PROGRESS = 21220;
    /** The type of a call's transfer events: the request, then each report of the target's leg. */
    static final String EVENT = "transfer";
    /** The participant label of a warm transfer's target, as its conference events name it. */
    static final String TARGET_LABEL = "target";
    /** How long a warm transfer's target may ring: as long as a {@code <Dial>}'s default for a cold one. */
    static final int TARGET_TIMEOUT_SECONDS = 30;
    /** The target leg's call events a warm transfer follows (the Participants API's {@code StatusCallbackEvent}). */
    private static final List<String> TARGET_EVENTS = List.of("initiated", "ringing", "answered", "completed");

    private final CallControl control;
    private final CallTransferRepository transfers;
    private final TransferTwiml twiml;
    private final TwilioClient twilio;
    private final CallRepository calls;
    private final JsonColumns json;

    public CallTransferService(CallControl control, CallTransferRepository transfers, TransferTwiml twiml,
            TwilioClient twilio, CallRepository calls, JsonColumns json) {
        this.calls = calls;
        this.json = json;
        this.control = control;
        this.transfers = transfers;
        this.twiml = twiml;
        this.twilio = twilio;
    }

    /** The organization's call, transferred; null when it has no such call. */
    public Uni<CallView> transfer(UUID organizationId, UUID callId, TransferRequest request) {
        return control.serialized(organizationId, callId, () -> transfers.context(organizationId, callId)
                .chain(call -> call == null ? Uni.createFrom().nullItem() : place(call, request)));
    }

    /**
     * The {@code transferCall} action: the call named by the Twilio CallSid an agent is given in its stream
     * parameters; null when the organization has no such call.
     */
    public Uni<CallView> transferBySid(UUID organizationId, String callSid, String to, String mode) {
        return transfers.idOfSid(organizationId, callSid).chain(id -> id == null ? Uni.createFrom().nullItem()
                : transfer(organizationId, id, new TransferRequest(to, mode == null ? TransferRequest.COLD : mode,
                        null, null, null)));
    }

    private Uni<CallView> place(TransferContext call, TransferRequest request) {
        var transfer = request.validate(call.agent() == null ? null : call.agent().transferNumber());
        if (!call.isLive()) {
            throw ApiException.conflict("call_not_in_progress", "the call is not in progress");
        }
        if (call.credentials() == null) {
            throw ApiException.conflict("call_not_in_progress", "the call's provider is gone");
        }
        if (!call.transfersEnabled()) {
            throw ApiException.unprocessable("transfers_disabled",
                    "the call's provider does not allow transfers (enableTransfers is off)");
        }
        if (call.transferUnderWay()) {
            throw ApiException.conflict("transfer_in_progress", "the call is being transferred already");
        }
        if (transfer.isWarm()) {
            return placeWarm(call, transfer);
        }
        String xml = twiml.cold(call.id().toString(), transfer.to(), callerId(call, transfer),
                transfer.announcement() != null);
        return transfers.markDialing(call.id(), transfer)
                .chain(() -> twilio.redirectCall(call.credentials(), call.sid(), xml))
                .onFailure(TwilioException.class).recoverWithUni(failure -> refused(call, (TwilioException) failure))
                .invoke(() -> LOG.infof("call %s: cold transfer to %s placed", call.id(),
                        TransferRequest.isSip(transfer.to()) ? "a SIP URI" : PhoneNumbers.redact(transfer.to())))
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), EVENT, "dialing",
                        requestedParams(transfer), EVENT + "|" + call.id() + "|" + UUID.randomUUID()))
                .chain(() -> calls.find(call.organizationId(), call.id()));
    }

    /**
     * A warm transfer, as Twilio's conference-based guidance builds one
     * (https://www.twilio.com/docs/taskrouter/contact-center-blueprint/call-control-concepts#warm-transfer): the target
     * is dialed first, as a participant of the call's own conference, so that a target Twilio refuses fails this
     * request (422 with Twilio's code) before the caller has been moved; then the caller's leg is moved into the
     * conference, where it hears hold music, and the agent's leg on the call ends with the TwiML it ran. The
     * conference's events do the rest ({@link TransferConferenceWebhook}): the caller held while the target is
     * briefed, then joined. A redirect Twilio refuses (the caller hung up) ends the target's leg again.
     */
    private Uni<CallView> placeWarm(TransferContext call, TransferRequest.Valid transfer) {
        String callId = call.id().toString();
        var participant = new ParticipantRequest(call.switchboardNumber(), transfer.to(), TARGET_LABEL,
                TARGET_TIMEOUT_SECONDS, twiml.targetCallback(callId), TARGET_EVENTS, true, true,
                twiml.conferenceCallback(callId), List.of(TransferTwiml.CONFERENCE_EVENTS.split(" ")));
        return transfers.markDialing(call.id(), transfer)
                .chain(() -> twilio.createParticipant(call.credentials(), TransferTwiml.conferenceName(callId),
                        participant))
                .onFailure(TwilioException.class).recoverWithUni(failure -> refused(call, (TwilioException) failure))
                .chain(target -> transfers.markTarget(call.id(), target.callSid())
                        .chain(() -> twilio.redirectCall(call.credentials(), call.sid(), twiml.warm(callId)))
                        .onFailure(TwilioException.class).recoverWithUni(failure -> endTarget(call, target.callSid())
                                .chain(() -> this.<io.switchboard.twilio.TwilioCall>refused(call,
                                        (TwilioException) failure))))
                .invoke(() -> LOG.infof("call %s: warm transfer to %s placed", call.id(),
                        TransferRequest.isSip(transfer.to()) ? "a SIP URI" : PhoneNumbers.redact(transfer.to())))
                .chain(() -> transfers.storeEvent(call.organizationId(), call.sid(), EVENT, "dialing",
                        requestedParams(transfer), EVENT + "|" + call.id() + "|" + UUID.randomUUID()))
                .chain(() -> calls.find(call.organizationId(), call.id()));
    }

    /** The target's leg ended, whether it rings or talks; a failure is logged, the leg's own timeout ends it then. */
    private Uni<Void> endTarget(TransferContext call, String targetSid) {
        return twilio.updateCall(call.credentials(), targetSid, "completed").replaceWithVoid()
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("call %s: transfer target leg not ended: %s", call.id(),
                            LogText.safe(failure.getMessage()));
                    return null;
                });
    }

    /**
     * Caller ID: the caller's own number when asked and when it is a phone number, since Twilio lets a {@code <Dial>}
     * show "the calling number, called number, or a validated outgoing number"
     * (https://www.twilio.com/docs/api/errors/13214): the other party is the calling number of an inbound call and
     * the called number of an outbound one. Otherwise (asked for, or a SIP or client caller) the call's Switchboard
     * number.
     */
    static String callerId(TransferContext call, TransferRequest.Valid transfer) {
        String caller = call.otherParty();
        return transfer.callerIdOfCaller() && PhoneNumbers.isE164(caller) ? caller : call.switchboardNumber();
    }

    private String requestedParams(TransferRequest.Valid transfer) {
        return json.write(Map.of("To", List.of(transfer.to()), "Mode", List.of(transfer.mode()),
                "OnFailure", List.of(transfer.backToAgent() ? "agent" : "hangup")));
    }

    /**
     * Twilio refused or failed the request: the transfer failed, the call's row says why, and the request fails with
     * Twilio's failure, or 409 when Twilio no longer runs the call. One failure, not the pair that
     * {@code onFailure().call()} would make of a second one (a 500 instead of the 409).
     */
    private <T> Uni<T> refused(TransferContext call, TwilioException failure) {
        String reason = failure.code() != null ? failure.code().toString()
                : failure.isUnavailable() ? "twilio_unavailable" : Integer.toString(failure.httpStatus());
        LOG.warnf("call %s: transfer refused by Twilio (%s): %s", call.id(), reason,
                LogText.safe(failure.getMessage()));
        Uni<Void> marked = transfers.markOutcome(call.id(), "failed", reason);
        if (Integer.valueOf(NOT_IN_PROGRESS).equals(failure.code()) || failure.isNotFound()) {
            return marked.chain(() -> Uni.createFrom().failure(
                    ApiException.conflict("call_not_in_progress", "the call is not in progress")));
        }
        return marked.chain(() -> Uni.createFrom().failure(failure));
    }
}
