package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Moves calls and messages through their lives as Twilio does, on Vert.x timers: it fetches TwiML, then sends the
 * status and recording callbacks the request asked for. Nothing here blocks.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class CallFlow {

    private static final Logger LOG = Logger.getLogger(CallFlow.class);
    private static final String API_VERSION = "2010-04-01";
    /** How many verbs' actions one call follows: a loop of answers that hold the call again ends there. */
    private static final int MAX_ACTIONS = 8;

    private final Vertx vertx;
    private final WebhookSender sender;
    private final SimulatorLog log;
    private final DialLegs dials;
    private final Conferences conferences;

    CallFlow(Vertx vertx, WebhookSender sender, SimulatorLog log, DialLegs dials, Conferences conferences) {
        this.dials = dials;
        this.conferences = conferences;
        this.vertx = vertx;
        this.sender = sender;
        this.log = log;
    }

    /** The inbound SMS webhook's answer and the {@code <Message>} replies its TwiML asked for. */
    record SmsAnswer(InboundDelivery delivery, List<Twiml.Reply> replies) {
    }

    /** A recording in progress: what asked for it and when it started. */
    private record ActiveRecording(String sid, Twiml.RecordingRequest request, Instant started) {
    }

    /** Status callbacks of one call or message: sent at once, or held and reversed for the out-of-order fault. */
    private final class Callbacks {
        private final Faults faults;
        private final List<WebhookSender.Delivery> held = new ArrayList<>();

        Callbacks(Faults faults) {
            this.faults = faults;
        }

        Uni<Void> emit(WebhookSender.Delivery delivery) {
            if (faults.callbacksOutOfOrder()) {
                held.add(delivery);
                return Uni.createFrom().voidItem();
            }
            return sender.send(delivery, faults.callbacksTwice()).replaceWithVoid();
        }

        Uni<Void> flush() {
            var reversed = new ArrayList<>(held);
            Collections.reverse(reversed);
            held.clear();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (var delivery : reversed) {
                chain = chain.chain(() -> sender.send(delivery, faults.callbacksTwice()).replaceWithVoid());
            }
            return chain;
        }
    }

    // --- outbound calls ---------------------------------------------------------------------------------------------

    /**
     * Initiated, ringing (unless the number fails at once), then answered, or ended busy, unanswered or failed as its
     * {@link CallOutcomes} says.
     */
    void runOutbound(SimCall call, String authToken, Faults faults, Timing timing) {
        var callbacks = new Callbacks(faults);
        var recordings = new ArrayList<ActiveRecording>();
        var outcome = CallOutcomes.of(call.to);
        // A call over the account's CPS waits in Twilio's queue, still queued, before it is executed.
        sleep(Duration.ofNanos(call.queuedNanos))
                .chain(() -> sleep(timing.step()))
                .chain(() -> ended(call) ? none() : callEvent(callbacks, call, authToken, "initiated", "initiated"))
                .chain(() -> sleep(timing.step()))
                .chain(() -> {
                    if (ended(call) || !outcome.rings()) {
                        return none();
                    }
                    synchronized (call) {
                        call.moveTo("ringing");
                    }
                    return callEvent(callbacks, call, authToken, "ringing", "ringing");
                })
                .chain(() -> sleep(timing.step()))
                .chain(() -> {
                    if (ended(call)) {
                        return none();
                    }
                    if (!outcome.answered()) {
                        synchronized (call) {
                            if (!call.isTerminal()) {
                                call.moveTo(outcome.unansweredStatus);
                            }
                        }
                        return none();
                    }
                    return answerOutbound(callbacks, call, authToken, timing, recordings, outcome);
                })
                .chain(() -> finish(callbacks, call, authToken, faults, recordings))
                .subscribe().with(ignored -> {}, failure -> fail(call, failure));
    }

    private Uni<Void> answerOutbound(Callbacks callbacks, SimCall call, String authToken, Timing timing,
            List<ActiveRecording> recordings, CallOutcomes outcome) {
        synchronized (call) {
            call.moveTo("in-progress");
            if (call.machineDetection != null) {
                call.answeredBy = answeredBy(call, outcome);
            }
        }
        Uni<Twiml> twiml;
        if (call.twiml != null) {
            log.twiml.add(new Recorded.Twiml(Instant.now(), call.sid, null, 200, "text/xml", call.twiml));
            twiml = Uni.createFrom().item(Twiml.parse(call.twiml, null));
        } else {
            var params = callParams(call, "in-progress");
            if (call.machineDetection != null && !call.asyncAmd) {
                // Synchronous detection holds the call until it decides, then asks for TwiML with its answer.
                put(params, "AnsweredBy", call.answeredBy);
            }
            var delivery = new WebhookSender.Delivery("twiml", call.sid, call.method, call.url, params, authToken);
            twiml = sender.send(delivery, false).map(reply -> recordTwiml(call.sid, call.url, reply));
        }
        return twiml.chain(answer -> callEvent(callbacks, call, authToken, "answered", "in-progress")
                .chain(() -> Uni.combine().all().unis(converse(call, authToken, answer, timing, recordings),
                        asyncAmd(call, authToken, timing)).discardItems()));
    }

    /**
     * What detection finds: a person on every number but the machine ones; on those, {@code machine_start} as soon
     * as the greeting is recognised ({@code MachineDetection=Enable}), or {@code machine_end_beep} once it ends
     * ({@code DetectMessageEnd}). Values as in https://www.twilio.com/docs/voice/answering-machine-detection.
     */
    private static String answeredBy(SimCall call, CallOutcomes outcome) {
        if (outcome != CallOutcomes.MACHINE) {
            return "human";
        }
        return "DetectMessageEnd".equals(call.machineDetection) ? "machine_end_beep" : "machine_start";
    }

    /**
     * The asynchronous detection's answer, sent to AsyncAmdStatusCallback while the call goes on (AccountSid, CallSid,
     * AnsweredBy, MachineDetectionDuration), after a step so the TwiML of the answer is running already.
     */
    private Uni<Void> asyncAmd(SimCall call, String authToken, Timing timing) {
        if (call.machineDetection == null || !call.asyncAmd || call.asyncAmdStatusCallback == null
                || call.asyncAmdStatusCallback.isBlank()) {
            return none();
        }
        return sleep(timing.step()).chain(() -> {
            if (call.isTerminal()) {
                return none();
            }
            var params = new LinkedHashMap<String, List<String>>();
            put(params, "AccountSid", call.accountSid);
            put(params, "CallSid", call.sid);
            put(params, "AnsweredBy", call.answeredBy);
            put(params, "MachineDetectionDuration", Long.toString(timing.step().toMillis()));
            return sender.send(new WebhookSender.Delivery("amd", call.sid, call.asyncAmdStatusCallbackMethod,
                    call.asyncAmdStatusCallback, params, authToken), false).replaceWithVoid();
        });
    }

    /**
     * A call update's new TwiML, given inline or fetched from {@code url}: recorded, and the call ends after a step
     * when the TwiML does not hold it open (a message then a hang-up).
     */
    void redirect(SimCall call, String twiml, String url, String method, String authToken, Timing timing) {
        var replaced = call.twimlReplaced;
        call.twimlReplaced = new CompletableFuture<>();
        replaced.complete(null);
        Uni<Twiml> answer;
        if (twiml != null) {
            log.twiml.add(new Recorded.Twiml(Instant.now(), call.sid, null, 200, "text/xml", twiml));
            answer = Uni.createFrom().item(Twiml.parse(twiml, null));
        } else {
            var delivery = new WebhookSender.Delivery("twiml", call.sid, method, url, callParams(call, "in-progress"),
                    authToken);
            answer = sender.send(delivery, false).map(reply -> recordTwiml(call.sid, url, reply));
        }
        answer.chain(parsed -> follow(call, parsed, authToken, timing)).subscribe().with(ignored -> {},
                failure -> LOG.warnf(failure, "simulated call %s: redirect", call.sid));
    }

    /**
     * Runs TwiML a live call was given: a {@code <Dial>} to a number or SIP URI places its leg ({@link DialLegs}) and
     * goes on with what its action answered; TwiML that does not hold the call open ends it after a step.
     */
    private Uni<Void> follow(SimCall call, Twiml parsed, String authToken, Timing timing) {
        if (parsed == null) {
            return endCall(call);
        }
        var conference = parsed.conference();
        if (conference.isPresent()) {
            return conferences.join(call, conference.get(), authToken)
                    .chain(next -> next.isEmpty() ? none() : follow(call, next.get(), authToken, timing));
        }
        var dial = parsed.dial();
        if (dial.isPresent()) {
            return dials.run(call, dial.get(), authToken, timing).chain(next -> follow(call, next, authToken, timing));
        }
        return parsed.endsCall() ? sleep(timing.step()).chain(() -> endCall(call)) : none();
    }

    private static Uni<Void> endCall(SimCall call) {
        synchronized (call) {
            if (!call.isTerminal()) {
                call.endRequested.complete(null);
            }
        }
        return none();
    }

    // --- inbound calls and SMS --------------------------------------------------------------------------------------

    Uni<InboundDelivery> inboundCall(SimCall call, SimNumber number, String authToken, Faults faults, Timing timing) {
        var delivery = new WebhookSender.Delivery("voice", call.sid, number.voiceMethod, number.voiceUrl,
                callParams(call, "ringing"), authToken);
        return sender.send(delivery, false).map(reply -> {
            Twiml twiml = recordTwiml(call.sid, number.voiceUrl, reply);
            continueInbound(call, authToken, faults, timing, reply.ok() ? twiml : null);
            return new InboundDelivery(call.sid, number.voiceUrl, reply.status(), reply.contentType(), reply.body());
        });
    }

    private void continueInbound(SimCall call, String authToken, Faults faults, Timing timing, Twiml twiml) {
        var callbacks = new Callbacks(faults);
        var recordings = new ArrayList<ActiveRecording>();
        Uni<Void> talk;
        synchronized (call) {
            if (twiml == null || !twiml.isValid()) {
                call.moveTo("failed");
                talk = none();
            } else if (twiml.rejects()) {
                call.moveTo("busy");
                talk = none();
            } else {
                call.moveTo("in-progress");
                talk = converse(call, authToken, twiml, timing, recordings);
            }
        }
        talk.chain(() -> finish(callbacks, call, authToken, faults, recordings))
                .subscribe().with(ignored -> {}, failure -> fail(call, failure));
    }

    Uni<SmsAnswer> inboundSms(SimMessage message, SimNumber number, String authToken) {
        var params = new LinkedHashMap<String, List<String>>();
        put(params, "ToCountry", NumberingPlan.country(message.to));
        put(params, "SmsMessageSid", message.sid);
        put(params, "NumMedia", "0");
        put(params, "SmsSid", message.sid);
        put(params, "SmsStatus", "received");
        put(params, "Body", message.body);
        put(params, "To", message.to);
        put(params, "NumSegments", Integer.toString(message.segments));
        put(params, "MessageSid", message.sid);
        put(params, "AccountSid", message.accountSid);
        put(params, "From", message.from);
        put(params, "FromCountry", NumberingPlan.country(message.from));
        put(params, "ApiVersion", API_VERSION);
        var delivery = new WebhookSender.Delivery("sms", message.sid, number.smsMethod, number.smsUrl, params,
                authToken);
        return sender.send(delivery, false).map(reply -> {
            Twiml twiml = recordTwiml(message.sid, number.smsUrl, reply);
            var answer = new InboundDelivery(message.sid, number.smsUrl, reply.status(), reply.contentType(),
                    reply.body());
            return new SmsAnswer(answer, reply.ok() ? twiml.replies() : List.of());
        });
    }

    // --- messages ---------------------------------------------------------------------------------------------------

    void runMessage(SimMessage message, String authToken, Faults faults, Timing timing) {
        var callbacks = new Callbacks(faults);
        sleep(timing.step())
                .chain(() -> messageEvent(callbacks, message, authToken, "sent"))
                .chain(() -> sleep(timing.step()))
                .chain(() -> messageEvent(callbacks, message, authToken, "delivered"))
                .chain(callbacks::flush)
                .subscribe().with(
                        ignored -> message.finished.complete(message.snapshot()),
                        failure -> {
                            LOG.warnf(failure, "simulated message %s stopped", message.sid);
                            message.finished.complete(message.snapshot());
                        });
    }

    private Uni<Void> messageEvent(Callbacks callbacks, SimMessage message, String authToken, String status) {
        synchronized (message) {
            message.moveTo(status);
        }
        if (message.statusCallback == null || message.statusCallback.isBlank()) {
            return none();
        }
        var params = new LinkedHashMap<String, List<String>>();
        put(params, "AccountSid", message.accountSid);
        put(params, "ApiVersion", API_VERSION);
        put(params, "From", message.from);
        put(params, "To", message.to);
        put(params, "MessageSid", message.sid);
        put(params, "SmsSid", message.sid);
        put(params, "SmsStatus", status);
        put(params, "MessageStatus", status);
        put(params, "MessagingServiceSid", message.messagingServiceSid);
        put(params, "NumSegments", Integer.toString(message.segments));
        if (message.errorCode != null) {
            put(params, "ErrorCode", message.errorCode.toString());
        }
        return callbacks.emit(new WebhookSender.Delivery("message-status", message.sid, "POST",
                message.statusCallback, params, authToken));
    }

    // --- shared steps -----------------------------------------------------------------------------------------------

    /** The answered part of a call: recordings start, the parties talk until the time is up or a hang-up. */
    private Uni<Void> converse(SimCall call, String authToken, Twiml twiml, Timing timing,
            List<ActiveRecording> recordings) {
        var requests = new ArrayList<Twiml.RecordingRequest>();
        if (call.record) {
            requests.add(new Twiml.RecordingRequest("OutboundAPI", call.recordingStatusCallback,
                    call.recordingStatusCallbackMethod, call.recordingStatusCallbackEvents, 1));
        }
        requests.addAll(twiml.recordings());
        var sids = new ArrayList<String>();
        Uni<Void> started = none();
        for (var request : requests) {
            var recording = new ActiveRecording(Sids.next("RE"), request, Instant.now());
            recordings.add(recording);
            sids.add(recording.sid());
            synchronized (call) {
                call.recordings.add(new SimCallRecording(recording.sid(), request, recording.started()));
            }
            started = started.chain(() -> recordingEvent(call, authToken, recording, "in-progress"));
        }
        synchronized (call) {
            call.recordingSids = List.copyOf(sids);
        }
        Duration talk = twiml.isValid() ? timing.talkTime() : Duration.ZERO;
        Instant until = Instant.now().plus(talk);
        return started.chain(() -> talk(call, authToken, twiml, timing, until, 0));
    }

    /**
     * The parties talk until the time is up or a hang-up, as Twilio holds a call on its {@code <Connect>} or
     * {@code <Dial>}. When that verb has an {@code action} and its agent leg ends first, as Twilio does: the agent
     * could not be reached ({@link AgentEndpoints}), or it ended its side on purpose
     * ({@link TwilioSimulator#endAgentLeg}), Twilio requests the action, signed, with the call's parameters and the
     * verb's own, records the answer, and runs it: a hang-up or TwiML that runs out ends the call, another verb holds
     * it again. The caller hanging up, or the time running out, ends the call without an action request.
     */
    private Uni<Void> talk(SimCall call, String authToken, Twiml twiml, Timing timing, Instant until, int depth) {
        var verb = twiml.agentVerb().filter(v -> v.action() != null).orElse(null);
        Duration left = Duration.between(Instant.now(), until);
        // A derived future, so that cancelling the losing branch never cancels the call's own.
        var hangUp = Uni.createFrom().completionStage(() -> call.endRequested.thenApply(v -> v));
        if (verb == null || depth >= MAX_ACTIONS) {
            return Uni.combine().any().of(sleep(left), hangUp).replaceWithVoid();
        }
        var leg = new CompletableFuture<Void>();
        var referred = new CompletableFuture<Twiml>();
        call.agentLegEnded = leg;
        call.referred = referred;
        Map<String, List<String>> failure = AgentEndpoints.failure(verb);
        Uni<Optional<Map<String, List<String>>>> legEnd;
        if (failure != null) {
            call.referDial = null;
            legEnd = sleep(timing.step()).map(v -> Optional.of(failure));
        } else {
            call.referDial = twiml.referDial().orElse(null);
            Instant connected = Instant.now();
            var agentEnds = Uni.createFrom().completionStage(() -> leg.thenApply(v -> v))
                    .map(v -> Optional.of(AgentEndpoints.ended(verb, connected)));
            var referEnds = Uni.createFrom().completionStage(() -> referred.thenApply(t -> t))
                    .map(t -> Optional.<Map<String, List<String>>>empty());
            legEnd = Uni.combine().any().of(sleep(left).map(v -> Optional.<Map<String, List<String>>>empty()),
                    hangUp.map(v -> Optional.<Map<String, List<String>>>empty()), agentEnds, referEnds);
        }
        return legEnd.chain(ended -> {
            call.referDial = null;
            if (referred.isDone() && !ended(call)) {
                // The REFER took the caller from the agent: no action for the agent's verb, the referUrl's TwiML
                // runs on the caller's leg instead, and the call goes on until a hang-up or its time is up.
                return follow(call, referred.join(), authToken, timing).chain(() -> Uni.combine().any()
                        .of(sleep(Duration.between(Instant.now(), until)), hangUp).replaceWithVoid());
            }
            if (ended.isEmpty() || ended(call)) {
                return none();
            }
            var params = callParams(call, "in-progress");
            params.putAll(ended.get());
            var delivery = new WebhookSender.Delivery("action", call.sid, verb.method(), verb.action(), params,
                    authToken);
            return sender.send(delivery, false).map(reply -> recordTwiml(call.sid, verb.action(), reply))
                    .chain(next -> next.endsCall() ? none() : talk(call, authToken, next, timing, until, depth + 1));
        });
    }

    /**
     * The SIP agent of a live call sends a SIP REFER to {@code referTo} (its {@code Refer-To}), as
     * https://www.twilio.com/docs/voice/api/refer-to-twilio describes: Twilio requests the agent's
     * {@code <Dial referUrl>}, signed, with the call's parameters, {@code ReferTransferTarget} and the REFER's custom
     * headers as {@code SipHeader_} parameters, and records the answer. TwiML: the agent's leg ends without its
     * action, and the caller's leg runs that TwiML. A failed fetch (an HTTP error, or an answer that is not TwiML)
     * refuses the transfer: with {@code answerOnBridge} the caller stays with the agent, without it the caller's leg
     * was dropped already and the call ends. A dial without a referUrl keeps the call as it is (Twilio's alert 13802,
     * https://www.twilio.com/docs/api/errors/13802).
     *
     * @throws SimError 409 when no SIP agent leg holds the call
     */
    Uni<SimulatedRefer> refer(SimCall call, String referTo, Map<String, String> headers, String authToken) {
        Twiml.ReferDial dial = call.referDial;
        var referred = call.referred;
        if (dial == null || ended(call) || call.agentLegEnded.isDone() || referred.isDone()) {
            // Twilio's "Refer not allowed on non-SIP call legs" (https://www.twilio.com/docs/api/errors/13801).
            throw new SimError(409, 13801, "call " + call.sid + " is not held by a SIP agent's <Dial>");
        }
        if (dial.url() == null) {
            return Uni.createFrom().item(new SimulatedRefer(false, 0, 13802));
        }
        var params = callParams(call, "in-progress");
        put(params, "ReferTransferTarget", referTo);
        headers.forEach((name, value) -> put(params, "SipHeader_" + name, value));
        var delivery = new WebhookSender.Delivery("refer", call.sid, dial.method(), dial.url(), params, authToken);
        return sender.send(delivery, false).map(reply -> {
            Twiml answer = recordTwiml(call.sid, dial.url(), reply);
            if (reply.ok() && answer.isValid() && !ended(call)) {
                referred.complete(answer);
                return new SimulatedRefer(true, reply.status(), null);
            }
            if (!dial.answerOnBridge()) {
                endCall(call);
            }
            return new SimulatedRefer(false, reply.status(), null);
        });
    }

    private Uni<Void> finish(Callbacks callbacks, SimCall call, String authToken, Faults faults,
            List<ActiveRecording> recordings) {
        synchronized (call) {
            if (!call.isTerminal()) {
                call.moveTo("in-progress".equals(call.status) ? "completed" : "canceled");
            }
        }
        Uni<Void> chain = callEvent(callbacks, call, authToken, "completed", call.status).chain(callbacks::flush);
        for (var recording : recordings) {
            if (!stoppedBefore(call, recording.sid())) {
                chain = chain.chain(() -> recordingEvent(call, authToken, recording, "completed"));
            }
        }
        return chain.invoke(() -> call.finished.complete(call.snapshot()));
    }

    /**
     * A recording stopped by a REST update ends there: its {@code completed} callback is sent then, with the duration
     * it recorded, rather than when the call ends.
     */
    Uni<Void> recordingStopped(SimCall call, String authToken, SimCallRecording stopped) {
        var recording = new ActiveRecording(stopped.sid, stopped.request, stopped.started);
        int seconds = (int) Math.max(1, Duration.between(stopped.started, Instant.now()).toSeconds());
        return recordingEvent(call, authToken, recording, "completed", seconds);
    }

    private static boolean stoppedBefore(SimCall call, String recordingSid) {
        synchronized (call) {
            return call.recordings.stream().anyMatch(r -> r.sid.equals(recordingSid) && "stopped".equals(r.status));
        }
    }

    private Uni<Void> callEvent(Callbacks callbacks, SimCall call, String authToken, String event,
            String callStatus) {
        if (call.statusCallback == null || call.statusCallback.isBlank()
                || !call.statusCallbackEvents.contains(event)) {
            return none();
        }
        var params = callParams(call, callStatus);
        put(params, "CallbackSource", "call-progress-events");
        put(params, "SequenceNumber", Integer.toString(call.sequence.getAndIncrement()));
        put(params, "Timestamp", Sids.rfc2822(Instant.now()));
        if ("completed".equals(event)) {
            put(params, "CallDuration", String.valueOf(call.duration == null ? 0 : call.duration));
        }
        return callbacks.emit(new WebhookSender.Delivery("call-status", call.sid, call.statusCallbackMethod,
                call.statusCallback, params, authToken));
    }

    private Uni<Void> recordingEvent(SimCall call, String authToken, ActiveRecording recording, String status) {
        return recordingEvent(call, authToken, recording, status, call.duration == null ? 0 : call.duration);
    }

    private Uni<Void> recordingEvent(SimCall call, String authToken, ActiveRecording recording, String status,
            int durationSeconds) {
        var request = recording.request();
        String url = request.callbackUrl() != null ? request.callbackUrl() : call.recordingStatusCallback;
        if (url == null || url.isBlank() || !request.events().contains(status)) {
            return none();
        }
        var params = new LinkedHashMap<String, List<String>>();
        put(params, "AccountSid", call.accountSid);
        put(params, "CallSid", call.sid);
        put(params, "RecordingSid", recording.sid());
        put(params, "RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + call.accountSid
                + "/Recordings/" + recording.sid());
        put(params, "RecordingStatus", status);
        put(params, "RecordingChannels", Integer.toString(request.channels()));
        put(params, "RecordingSource", request.source());
        put(params, "RecordingStartTime", Sids.rfc2822(recording.started()));
        put(params, "RecordingTrack", "both");
        put(params, "ErrorCode", "0");
        if ("completed".equals(status)) {
            put(params, "RecordingDuration", String.valueOf(durationSeconds));
        }
        return sender.send(new WebhookSender.Delivery("recording", call.sid, request.callbackMethod(), url, params,
                authToken), false).replaceWithVoid();
    }

    private Twiml recordTwiml(String sid, String url, WebhookSender.Reply reply) {
        log.twiml.add(new Recorded.Twiml(Instant.now(), sid, url, reply.status(), reply.contentType(), reply.body()));
        return reply.ok() ? Twiml.parse(reply.body(), url) : Twiml.parse(null, url);
    }

    /** The parameters of every voice request Twilio makes about a call. */
    private static Map<String, List<String>> callParams(SimCall call, String callStatus) {
        var params = new LinkedHashMap<String, List<String>>();
        put(params, "AccountSid", call.accountSid);
        put(params, "ApiVersion", API_VERSION);
        put(params, "CallSid", call.sid);
        put(params, "CallStatus", callStatus);
        put(params, "Called", call.to);
        put(params, "CalledCountry", NumberingPlan.country(call.to));
        put(params, "Caller", call.from);
        put(params, "CallerCountry", NumberingPlan.country(call.from));
        put(params, "Direction", call.direction);
        put(params, "From", call.from);
        put(params, "FromCountry", NumberingPlan.country(call.from));
        put(params, "To", call.to);
        put(params, "ToCountry", NumberingPlan.country(call.to));
        return params;
    }

    private static void put(Map<String, List<String>> params, String key, String value) {
        if (value != null) {
            params.put(key, List.of(value));
        }
    }

    private static boolean ended(SimCall call) {
        return call.endRequested.isDone();
    }

    private void fail(SimCall call, Throwable failure) {
        LOG.warnf(failure, "simulated call %s stopped", call.sid);
        call.finished.complete(call.snapshot());
    }

    private Uni<Void> sleep(Duration duration) {
        // Vert.x refuses a timer under 1 ms: what is left of a talk time on a busy machine can be less, and is none.
        if (duration.toMillis() < 1) {
            return none();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(duration.toMillis(), id -> emitter.complete(null)));
    }

    private static Uni<Void> none() {
        return Uni.createFrom().voidItem();
    }
}
