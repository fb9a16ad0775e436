package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The legs a call's {@code <Dial>} places to a {@code <Number>} or {@code <Sip>}, as Twilio runs them: a child call
 * ({@code outbound-dial}, its {@code ParentCallSid} the caller's leg) that rings and is answered, or ends busy,
 * unanswered or failed as its {@link CallOutcomes} number says (a number Twilio refuses, {@link MagicNumbers}, fails
 * at once, never ringing); the target noun's status callbacks for the events it asked for; and, once the dial has
 * ended, the {@code <Dial action>} request with {@code DialCallStatus}, {@code DialCallSid} and
 * {@code DialCallDuration}, whose TwiML the caller's leg runs next. A noun's {@code url} is fetched on the target's
 * leg once it answers, and run there before the parties are connected
 * (https://www.twilio.com/docs/voice/twiml/number#url). Without an action the call ends after the dial,
 * its document having run out (https://www.twilio.com/docs/voice/twiml/dial#action). A leg never outlives its
 * caller: when the caller's leg ends, a ringing leg is canceled and a talking one completed.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class DialLegs {

    private static final Logger LOG = Logger.getLogger(DialLegs.class);
    private static final String API_VERSION = "2010-04-01";

    private final Vertx vertx;
    private final WebhookSender sender;
    private final SimulatorLog log;
    private final Map<String, SimCall> legs = new ConcurrentHashMap<>();
    /** The parent of each leg. */
    private final Map<String, String> parents = new ConcurrentHashMap<>();

    DialLegs(Vertx vertx, WebhookSender sender, SimulatorLog log) {
        this.vertx = vertx;
        this.sender = sender;
        this.log = log;
    }

    /**
     * Dials for {@code caller} and completes once its action has been answered: with the TwiML the caller's leg runs
     * next, null when there is none to run (no action, or the caller is gone).
     */
    Uni<Twiml> run(SimCall caller, Twiml.DialRequest dial, String authToken, Timing timing) {
        var leg = new SimCall(caller.accountSid, dial.callerId() == null ? caller.from : dial.callerId(),
                dial.target(), "outbound-dial");
        leg.region = caller.region;
        leg.statusCallback = dial.statusCallback();
        leg.statusCallbackMethod = dial.statusCallbackMethod();
        leg.statusCallbackEvents = dial.statusCallbackEvents();
        leg.status = "initiated";
        legs.put(leg.sid, leg);
        parents.put(leg.sid, caller.sid);
        var outcome = CallOutcomes.of(leg.to);
        var callerGone = Uni.createFrom().completionStage(
                () -> caller.endRequested.applyToEither(caller.finished.thenApply(c -> (Void) null), v -> v));
        Uni<Void> life;
        if (MagicNumbers.refusesCallTo(leg.to)) {
            life = end(leg, "failed", authToken);
        } else {
            life = sleep(timing.step())
                    .chain(() -> event(leg, "initiated", "initiated", authToken))
                    .chain(() -> sleep(timing.step()))
                    .chain(() -> {
                        if (!outcome.rings()) {
                            return end(leg, "failed", authToken);
                        }
                        leg.moveTo("ringing");
                        return event(leg, "ringing", "ringing", authToken)
                                .chain(() -> Uni.combine().any().<Boolean>of(
                                        sleep(timing.step()).replaceWith(false), callerGone.replaceWith(true)))
                                .chain(gone -> {
                                    if (gone || isOver(caller)) {
                                        return end(leg, "canceled", authToken);
                                    }
                                    if (!outcome.answered()) {
                                        return end(leg, outcome.unansweredStatus, authToken);
                                    }
                                    return talk(caller, leg, dial, callerGone, authToken, timing);
                                });
                    });
        }
        return life.chain(() -> action(caller, leg, dial, authToken));
    }

    private Uni<Void> talk(SimCall caller, SimCall leg, Twiml.DialRequest dial, Uni<Void> callerGone,
            String authToken, Timing timing) {
        synchronized (leg) {
            leg.moveTo("in-progress");
        }
        var hungUp = Uni.createFrom().completionStage(() -> leg.endRequested.thenApply(v -> v));
        return event(leg, "answered", "in-progress", authToken)
                .chain(() -> whisper(leg, dial, authToken))
                .chain(() -> Uni.combine().any().of(sleep(timing.talkTime()), hungUp, callerGone))
                .chain(() -> end(leg, "completed", authToken));
    }

    /** The noun's {@code url}, asked for on the target's leg (ParentCallSid names the caller's) and recorded. */
    private Uni<Void> whisper(SimCall leg, Twiml.DialRequest dial, String authToken) {
        if (dial.url() == null) {
            return Uni.createFrom().voidItem();
        }
        var params = params(leg, "in-progress");
        put(params, "ParentCallSid", parents.get(leg.sid));
        return sender.send(new WebhookSender.Delivery("twiml", leg.sid, dial.urlMethod(), dial.url(), params,
                authToken), false).invoke(
                        reply -> log.twiml.add(new Recorded.Twiml(Instant.now(), leg.sid,
                                dial.url(), reply.status(), reply.contentType(), reply.body())))
                .replaceWithVoid();
    }

    /** The leg ends with this status, and its last status callback is sent. */
    private Uni<Void> end(SimCall leg, String status, String authToken) {
        synchronized (leg) {
            if (!leg.isTerminal()) {
                leg.moveTo(status);
            }
            leg.endRequested.complete(null);
        }
        return event(leg, "completed", leg.status, authToken).invoke(() -> leg.finished.complete(leg.snapshot()));
    }

    private Uni<Twiml> action(SimCall caller, SimCall leg, Twiml.DialRequest dial, String authToken) {
        if (dial.action() == null) {
            return Uni.createFrom().nullItem();
        }
        var params = params(caller, isOver(caller) ? "completed" : "in-progress");
        put(params, "DialCallStatus", leg.status);
        put(params, "DialCallSid", leg.sid);
        put(params, "DialCallDuration", String.valueOf(leg.duration == null ? 0 : leg.duration));
        var delivery = new WebhookSender.Delivery("dial-action", caller.sid, dial.method(), dial.action(), params,
                authToken);
        return sender.send(delivery, false).map(reply -> {
            log.twiml.add(new Recorded.Twiml(Instant.now(), caller.sid, dial.action(), reply.status(),
                    reply.contentType(), reply.body()));
            // A caller who hung up is told nothing more: the answer is recorded and not run.
            return isOver(caller) ? null : Twiml.parse(reply.ok() ? reply.body() : null, dial.action());
        });
    }

    private Uni<Void> event(SimCall leg, String event, String status, String authToken) {
        if (leg.statusCallback == null || !leg.statusCallbackEvents.contains(event)) {
            return Uni.createFrom().voidItem();
        }
        var params = params(leg, status);
        put(params, "ParentCallSid", parents.get(leg.sid));
        put(params, "CallbackSource", "call-progress-events");
        put(params, "SequenceNumber", Integer.toString(leg.sequence.getAndIncrement()));
        put(params, "Timestamp", Sids.rfc2822(Instant.now()));
        if ("completed".equals(event)) {
            put(params, "CallDuration", String.valueOf(leg.duration == null ? 0 : leg.duration));
        }
        return sender.send(new WebhookSender.Delivery("dial-leg-status", leg.sid, leg.statusCallbackMethod,
                leg.statusCallback, params, authToken), false)
                .onFailure().invoke(failure -> LOG.warnf("dial leg %s: status callback failed", leg.sid))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The legs dialed for this call, oldest first. */
    List<SimulatedCall> of(String callerSid) {
        return legs.values().stream().filter(leg -> callerSid.equals(parents.get(leg.sid)))
                .map(SimCall::snapshot).sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    /** Every leg not ended yet. */
    List<SimulatedCall> live() {
        return legs.values().stream().map(SimCall::snapshot).filter(leg -> !isTerminal(leg.status())).toList();
    }

    /** The target of a leg hangs up; false when there is no such leg. */
    boolean hangUp(String sid) {
        var leg = legs.get(sid);
        if (leg == null) {
            return false;
        }
        leg.endRequested.complete(null);
        return true;
    }

    void clear() {
        legs.clear();
        parents.clear();
    }

    private static boolean isOver(SimCall call) {
        synchronized (call) {
            return call.isTerminal() || call.endRequested.isDone();
        }
    }

    private static boolean isTerminal(String status) {
        return switch (status) {
            case "completed", "busy", "failed", "no-answer", "canceled" -> true;
            default -> false;
        };
    }

    private static Map<String, List<String>> params(SimCall call, String callStatus) {
        var params = new LinkedHashMap<String, List<String>>();
        put(params, "AccountSid", call.accountSid);
        put(params, "ApiVersion", API_VERSION);
        put(params, "CallSid", call.sid);
        put(params, "CallStatus", callStatus);
        put(params, "Called", call.to);
        put(params, "Caller", call.from);
        put(params, "Direction", call.direction);
        put(params, "From", call.from);
        put(params, "To", call.to);
        return params;
    }

    private static void put(Map<String, List<String>> params, String key, String value) {
        if (value != null) {
            params.put(key, List.of(value));
        }
    }

    private Uni<Void> sleep(Duration duration) {
        if (duration.isZero() || duration.isNegative()) {
            return Uni.createFrom().voidItem();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(duration.toMillis(), id -> emitter.complete(null)));
    }
}
