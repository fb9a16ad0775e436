package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.message.MessageService;
import io.switchboard.message.MessageView;
import io.switchboard.message.SendMessageRequest;
import io.switchboard.tenant.TenantContext;
import io.switchboard.twilio.TwilioCall;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * What can be done to a call of the caller's organization while it goes on: hang it up, pause, resume or stop its
 * recording, text the other party. Every request to Twilio goes to the region that handles the call, with the
 * credentials of the provider that handles it ({@link LiveCallRepository}); each one done is recorded as an event of
 * the call. Methods return null when the call is not the caller's.
 */
@ApplicationScoped
public class CallControlService {

    private static final Logger LOG = Logger.getLogger(CallControlService.class);
    /**
     * Twilio's "Invalid call state": "You attempted a realtime operation on a Call that was not in-progress"
     * (https://www.twilio.com/docs/errors/21220).
     */
    static final int NOT_IN_PROGRESS = 21220;

    private final LiveCallRepository calls;
    private final TwilioClient twilio;
    private final MessageService messages;
    private final TenantContext tenant;
    private final CallControl control;

    CallControlService(LiveCallRepository calls, TwilioClient twilio, MessageService messages, TenantContext tenant,
            CallControl control) {
        this.calls = calls;
        this.twilio = twilio;
        this.messages = messages;
        this.tenant = tenant;
        this.control = control;
    }

    /**
     * Hangs the call up under its control lease ({@link CallControl}), as a transfer runs: a hang-up asked for while a
     * transfer is being placed waits for it (at most 10 s, then 409 {@code call_busy}), and is then decided on the
     * call as it stands.
     */
    public Uni<HangupView> hangup(UUID id) {
        return serializedHangup(tenant.requireOrganization(), id);
    }

    /** {@link #hangup(UUID)} of the call Twilio knows by this CallSid. */
    public Uni<HangupView> hangupBySid(String sid) {
        UUID organization = tenant.requireOrganization();
        return calls.findBySid(organization, sid).chain(call -> call == null ? Uni.createFrom().nullItem()
                : serializedHangup(organization, call.id()));
    }

    private Uni<HangupView> serializedHangup(UUID organization, UUID id) {
        return control.serialized(organization, id, () -> calls.find(organization, id)
                .chain(call -> call == null ? Uni.createFrom().nullItem() : hangup(organization, call)));
    }

    /**
     * Ends the call. Twilio's Calls update takes {@code canceled} or {@code completed}: "Specifying canceled will
     * attempt to hang up calls that are queued or ringing; however, it will not affect calls already in progress.
     * Specifying completed will attempt to hang up a call even if it's already in progress"
     * (https://www.twilio.com/docs/voice/api/call-resource#update-a-call-resource). A call not answered yet is
     * canceled, so it ends as Twilio's own record of it says (canceled, not completed); one that Twilio says was
     * answered meanwhile (our row learns it from a callback a moment later) is then completed. A call that is already
     * ending answers with the status Twilio gives, so a repeated hang-up is harmless.
     *
     * @throws ApiException 409 {@code call_not_placed} for an outbound call Twilio has not been asked to place yet
     *         (its batch can be canceled), 409 {@code call_ended} for one that has ended
     */
    private Uni<HangupView> hangup(UUID organization, LiveCall call) {
        requirePlaced(call);
        if (call.hasEnded()) {
            throw ApiException.conflict("call_ended", "the call has ended (" + call.status() + ")");
        }
        TwilioCredentials creds = requireCredentials(call);
        boolean answered = "in-progress".equals(call.status());
        return twilio.updateCall(creds, call.sid(), answered ? "completed" : "canceled")
                .chain(updated -> "in-progress".equals(updated.status())
                        ? twilio.updateCall(creds, call.sid(), "completed")
                        : Uni.createFrom().item(updated))
                .map(TwilioCall::status)
                .onFailure(CallControlService::isNotInProgress)
                .recoverWithUni(() -> twilio.fetchCall(creds, call.sid()).map(TwilioCall::status))
                .call(status -> event(organization, call, LiveCallRepository.HANGUP, status, Map.of()))
                .invoke(status -> LOG.infof("call %s: hung up through the API (Twilio says %s)", call.id(), status))
                .map(status -> new HangupView(call.id(), call.sid(), status));
    }

    /**
     * Pauses, resumes or stops the call's active recording (Twilio's {@code Twilio.CURRENT}).
     *
     * @throws ApiException 409 {@code call_not_in_progress} when the call is not live, 409 {@code no_active_recording}
     *         when nothing records it
     */
    public Uni<RecordingView> recording(UUID id, RecordingRequest request) {
        UUID organization = tenant.requireOrganization();
        request.validate();
        // Under the call's control lease, as a hang-up and a transfer: one control request at a time per call.
        return control.serialized(organization, id, () -> calls.find(organization, id)
                .chain(call -> call == null ? Uni.createFrom().nullItem() : recording(organization, call, request)));
    }

    private Uni<RecordingView> recording(UUID organization, LiveCall call, RecordingRequest request) {
        if (call.sid() == null || call.hasEnded()) {
            throw notInProgress(call);
        }
        TwilioCredentials creds = requireCredentials(call);
        return twilio.updateCallRecording(creds, call.sid(), TwilioClient.CURRENT_RECORDING, request.twilioStatus(),
                request.pauseBehavior())
                .onFailure(TwilioException.class)
                .transform(failure -> recordingRefusal(call, (TwilioException) failure))
                .call(recording -> {
                    var params = new LinkedHashMap<String, String>();
                    params.put("Action", request.action());
                    params.put("RecordingSid", recording.sid());
                    params.put("PauseBehavior", request.pauseBehavior());
                    return event(organization, call, LiveCallRepository.RECORDING_CONTROL, recording.status(), params);
                })
                .invoke(recording -> LOG.infof("call %s: recording %s %s through the API", call.id(), recording.sid(),
                        recording.status()))
                .map(recording -> new RecordingView(call.id(), call.sid(), recording.sid(), recording.status()));
    }

    /**
     * Twilio answers a call that is not live with 21220 and an update of {@code Twilio.CURRENT} when nothing records
     * the call as not found (there is no current recording to address); anything else stays Twilio's refusal.
     */
    private static Throwable recordingRefusal(LiveCall call, TwilioException failure) {
        if (Integer.valueOf(NOT_IN_PROGRESS).equals(failure.code())) {
            return notInProgress(call);
        }
        if (failure.isNotFound()) {
            return ApiException.conflict("no_active_recording", "the call has no recording in progress or paused");
        }
        return failure;
    }

    /**
     * Texts the other party of the call (an inbound call's caller, an outbound call's callee) from the call's
     * Switchboard number, exactly as {@code POST /v1/messages} would (the do-not-contact list, the sender's checks,
     * the durable dispatch that never sends twice), linked to the call. A call that has ended can still be texted
     * after: a link promised in the call is often sent once it is over.
     *
     * @throws ApiException 422 {@code party_not_textable} when the other party is not a phone number (a SIP or client
     *         call)
     */
    public Uni<MessageView> message(UUID id, CallMessageRequest request) {
        UUID organization = tenant.requireOrganization();
        request.validate();
        return calls.find(organization, id).chain(call -> {
            if (call == null) {
                return Uni.createFrom().nullItem();
            }
            if (!PhoneNumbers.isE164(call.otherParty()) || !PhoneNumbers.isE164(call.ourNumber())) {
                throw ApiException.unprocessable("party_not_textable",
                        "the other party of the call is not a phone number that can be texted");
            }
            var send = new SendMessageRequest(call.otherParty(), request.body(), call.ourNumber());
            return messages.sendDuringCall(send, call.id())
                    .call(sent -> call.sid() == null ? Uni.createFrom().voidItem()
                            : event(organization, call, LiveCallRepository.MESSAGE, sent.status(),
                                    Map.of("MessageId", sent.id().toString())));
        });
    }

    /**
     * The event of a request already done at Twilio: a failure to store it is logged, never turned into an error
     * that would have the caller repeat what was done.
     */
    private Uni<Void> event(UUID organization, LiveCall call, String type, String status, Map<String, String> params) {
        return calls.addEvent(organization, call.sid(), type, status, params)
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("call %s: the %s event could not be stored (%s)", call.id(), type, failure.getMessage());
                    return Uni.createFrom().voidItem();
                });
    }

    private static void requirePlaced(LiveCall call) {
        if (call.sid() == null) {
            if (call.hasEnded()) {
                throw ApiException.conflict("call_ended", "the call has ended (" + call.status() + ")");
            }
            throw ApiException.conflict("call_not_placed",
                    "the call has not been placed yet; cancel its batch to keep it from being placed");
        }
    }

    private static ApiException notInProgress(LiveCall call) {
        return ApiException.conflict("call_not_in_progress", "the call is not in progress (" + call.status() + ")");
    }

    private static boolean isNotInProgress(Throwable failure) {
        return failure instanceof TwilioException e && Integer.valueOf(NOT_IN_PROGRESS).equals(e.code());
    }

    private static TwilioCredentials requireCredentials(LiveCall call) {
        if (call.credentials() == null) {
            throw ApiException.conflict("provider_deleted",
                    "the provider that handles the call was deleted; the call cannot be controlled from here");
        }
        return call.credentials();
    }
}
