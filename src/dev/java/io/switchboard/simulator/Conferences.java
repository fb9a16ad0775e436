package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Conferences as Twilio runs them, the part a warm transfer uses
 * (https://www.twilio.com/docs/voice/conference, https://www.twilio.com/docs/voice/twiml/conference,
 * https://www.twilio.com/docs/voice/api/conference-participant-resource):
 * <ul>
 * <li>a call joins by {@code <Dial><Conference>} with {@code startConferenceOnEnter}, {@code endConferenceOnExit},
 * {@code statusCallback} and {@code statusCallbackEvent}; it waits (hearing its {@code waitUrl}, not fetched here)
 * until a participant that starts the conference joins, stays until it hangs up, its call runs other TwiML, or the
 * conference ends, and then its {@code <Dial action>} is requested and answered TwiML runs;
 * <li>{@code POST Conferences/{sid or friendly name}/Participants} dials a participant (a call of its own, with its
 * {@code StatusCallback} events initiated, ringing, answered, completed, the designated busy, no-answer and failed
 * numbers of {@link CallOutcomes}, and the refusals of {@link MagicNumbers} as the create's error), creating the
 * conference when none of that name is live; the participant joins once it answers and its call ends when it leaves;
 * <li>{@code POST …/Participants/{CallSid}} holds and unholds a participant ({@code Hold}, {@code HoldUrl}) or says
 * {@code AnnounceUrl}'s TwiML to it alone, then reports {@code announcement-end};
 * <li>the conference ends when a participant with {@code endConferenceOnExit} leaves or the last one does: every
 * other participant leaves then. A participant dialed and still ringing is not canceled by the conference's end (what
 * Twilio does then is not documented): whoever added it cancels it.
 * </ul>
 * Conference events: {@code conference-start}, {@code conference-end}, {@code participant-join},
 * {@code participant-leave}, {@code participant-hold}, {@code participant-unhold}, {@code announcement-end}.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class Conferences implements TwilioResource {

    private static final Logger LOG = Logger.getLogger(Conferences.class);
    private static final String API_VERSION = "2010-04-01";
    private static final Set<String> DEFAULT_EVENTS = Set.of("start", "end");

    private final Vertx vertx;
    private final Accounts accounts;
    private final Conditions conditions;
    private final Calls calls;
    private final WebhookSender sender;
    private final SimulatorLog log;
    private final Map<String, SimConference> conferences = new ConcurrentHashMap<>();

    Conferences(Vertx vertx, Accounts accounts, Conditions conditions, Calls calls, WebhookSender sender,
            SimulatorLog log) {
        this.vertx = vertx;
        this.accounts = accounts;
        this.conditions = conditions;
        this.calls = calls;
        this.sender = sender;
        this.log = log;
    }

    /** What a {@code <Dial><Conference>} asks for. */
    record Request(String name, String action, String method, boolean startConferenceOnEnter,
            boolean endConferenceOnExit, String statusCallback, String statusCallbackMethod,
            Set<String> statusCallbackEvents) {
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Conferences/{ConferenceSid}/Participants.json",
                x -> Reply.created(addParticipant(x.account(), x.path("ConferenceSid"), x.form(), x.region())));
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Conferences/{ConferenceSid}/Participants/{CallSid}.json",
                x -> Reply.ok(updateParticipant(x.account(), x.path("ConferenceSid"), x.path("CallSid"), x.form(),
                        x.requestPath(), x.region())));
        routes.on(HttpMethod.GET, "api", ACCOUNT + "/Conferences/{Sid}.json", x -> {
            var conference = conferences.get(x.path("Sid"));
            if (conference == null || !conference.accountSid.equals(x.account().sid)
                    || conference.region != x.region()) {
                throw SimError.notFound(x.requestPath());
            }
            synchronized (conference) {
                return Reply.ok(conference.toJson());
            }
        });
    }

    // --- participants dialed over REST ------------------------------------------------------------------------------

    JsonObject addParticipant(SimAccount account, String conferenceName, Params form, SimRegion region) {
        String from = form.get("From");
        String to = form.get("To");
        if (to == null || to.isBlank()) {
            throw new SimError(400, 21201, "No 'To' number is specified");
        }
        if (from == null || from.isBlank()) {
            throw new SimError(400, 21213, "No 'From' number is specified");
        }
        MagicNumbers.checkCall(from, to);
        if (!NumberingPlan.isPossible(to) && !to.startsWith("sip:") && !to.startsWith("client:")) {
            throw MagicNumbers.invalidCallTo();
        }
        // The spec's From: "it must be a Twilio number or a Verified outgoing caller id for your account".
        if (account.numberByPhone(from) == null && !MagicNumbers.VALID_FROM.equals(from)) {
            throw new SimError(400, 21210, "The source phone number provided, " + from
                    + ", is not yet verified for your account");
        }
        int timeout = form.integer("Timeout", 60);
        if (timeout < 5 || timeout > 600) {
            throw new SimError(400, 20001, "Timeout must be between 5 and 600");
        }
        var call = new SimCall(account.sid, from, to, "outbound-api");
        call.region = region;
        call.statusCallback = form.get("StatusCallback", null);
        call.statusCallbackMethod = form.method("StatusCallbackMethod");
        call.statusCallbackEvents = events(form.all("StatusCallbackEvent"), Set.of("completed"));
        var participant = new SimConference.Participant(call.sid, form.get("Label", null),
                !"false".equalsIgnoreCase(form.get("StartConferenceOnEnter")),
                form.flag("EndConferenceOnExit"));
        SimConference conference = liveOrNew(account.sid, conferenceName, region);
        synchronized (conference) {
            if (conference.isOver()) {
                throw new SimError(404, 20404, "The requested resource " + conferenceName + " was not found");
            }
            callbackOf(conference, form.get("ConferenceStatusCallback", null),
                    form.method("ConferenceStatusCallbackMethod"), form.all("ConferenceStatusCallbackEvent"));
            conference.participants.put(call.sid, participant);
        }
        calls.add(call);
        dial(conference, participant, call, account.authToken, conditions.timing());
        synchronized (conference) {
            return conference.toJson(participant);
        }
    }

    /**
     * The dialed participant's call: initiated, ringing, then answered (it joins) or ended busy, unanswered or failed;
     * a cancel or hang-up while it rings ends it canceled; once joined it stays until it hangs up or is removed.
     */
    private void dial(SimConference conference, SimConference.Participant participant, SimCall call, String authToken,
            Timing timing) {
        var outcome = CallOutcomes.of(call.to);
        var hungUp = Uni.createFrom().completionStage(() -> call.endRequested.thenApply(v -> v));
        sleep(timing.step())
                .chain(() -> ended(call) ? none() : callEvent(call, "initiated", "initiated", authToken))
                .chain(() -> sleep(timing.step()))
                .chain(() -> {
                    if (ended(call)) {
                        return endCall(conference, participant, call, "canceled", authToken);
                    }
                    if (!outcome.rings()) {
                        return endCall(conference, participant, call, "failed", authToken);
                    }
                    synchronized (call) {
                        call.moveTo("ringing");
                    }
                    synchronized (conference) {
                        participant.status = "ringing";
                        participant.updated = Instant.now();
                    }
                    return callEvent(call, "ringing", "ringing", authToken)
                            .chain(() -> Uni.combine().any().<Boolean>of(sleep(timing.step()).replaceWith(false),
                                    hungUp.replaceWith(true)))
                            .chain(gone -> {
                                if (gone || ended(call)) {
                                    return endCall(conference, participant, call, "canceled", authToken);
                                }
                                if (!outcome.answered()) {
                                    return endCall(conference, participant, call, outcome.unansweredStatus,
                                            authToken);
                                }
                                synchronized (call) {
                                    call.moveTo("in-progress");
                                }
                                return callEvent(call, "answered", "in-progress", authToken)
                                        .chain(() -> join(conference, participant, authToken))
                                        .chain(joined -> !joined ? none()
                                                : Uni.combine().any().of(hungUp, removed(participant)))
                                        .chain(() -> leave(conference, participant, authToken))
                                        .chain(() -> endCall(conference, participant, call, "completed", authToken));
                            });
                })
                .subscribe().with(ignored -> {}, failure -> {
                    LOG.warnf(failure, "conference participant %s stopped", call.sid);
                    call.finished.complete(call.snapshot());
                });
    }

    private Uni<Void> endCall(SimConference conference, SimConference.Participant participant, SimCall call,
            String status, String authToken) {
        synchronized (call) {
            if (!call.isTerminal()) {
                call.moveTo(status);
            }
            call.endRequested.complete(null);
        }
        synchronized (conference) {
            if (!participant.joined()) {
                conference.participants.remove(participant.callSid);
            }
            participant.status = "completed".equals(status) ? "complete" : "failed";
        }
        return callEvent(call, "completed", call.status, authToken)
                .invoke(() -> call.finished.complete(call.snapshot()));
    }

    private Uni<Void> callEvent(SimCall call, String event, String status, String authToken) {
        if (call.statusCallback == null || !call.statusCallbackEvents.contains(event)) {
            return none();
        }
        var params = callParams(call, status);
        put(params, "CallbackSource", "call-progress-events");
        put(params, "SequenceNumber", Integer.toString(call.sequence.getAndIncrement()));
        put(params, "Timestamp", Sids.rfc2822(Instant.now()));
        if ("completed".equals(event)) {
            put(params, "CallDuration", String.valueOf(call.duration == null ? 0 : call.duration));
        }
        return sender.send(new WebhookSender.Delivery("participant-status", call.sid, call.statusCallbackMethod,
                call.statusCallback, params, authToken), false).onFailure().recoverWithNull().replaceWithVoid();
    }

    JsonObject updateParticipant(SimAccount account, String conferenceSid, String callSid, Params form, String path,
            SimRegion region) {
        var conference = conferences.get(conferenceSid);
        if (conference == null || !conference.accountSid.equals(account.sid) || conference.region != region) {
            throw SimError.notFound(path);
        }
        String announceUrl = form.get("AnnounceUrl", null);
        String event = null;
        SimConference.Participant participant;
        synchronized (conference) {
            participant = conference.participants.get(callSid);
            if (conference.isOver() || participant == null || !participant.joined()) {
                throw SimError.notFound(path);
            }
            if (form.has("Hold")) {
                boolean hold = form.flag("Hold");
                if (hold != participant.hold) {
                    event = hold ? "participant-hold" : "participant-unhold";
                }
                participant.hold = hold;
                participant.holdUrl = hold ? form.get("HoldUrl", null) : null;
                participant.updated = Instant.now();
            }
        }
        String authToken = account.authToken;
        Uni<Void> effects = event == null ? none() : conferenceEvent(conference, event, participant, authToken);
        if (announceUrl != null) {
            String method = form.method("AnnounceMethod");
            effects = effects.chain(() -> announce(conference, participant, announceUrl, method, authToken));
        }
        effects.subscribe().with(ignored -> {}, failure -> LOG.warnf(failure, "participant %s update", callSid));
        synchronized (conference) {
            return conference.toJson(participant);
        }
    }

    /** The announcement's TwiML, fetched and said to the participant alone; then {@code announcement-end}. */
    private Uni<Void> announce(SimConference conference, SimConference.Participant participant, String url,
            String method, String authToken) {
        var call = calls.find(participant.callSid);
        var params = call == null ? new LinkedHashMap<String, List<String>>() : callParams(call, "in-progress");
        put(params, "ConferenceSid", conference.sid);
        return sender.send(new WebhookSender.Delivery("twiml", participant.callSid, method, url, params, authToken),
                false)
                .invoke(reply -> log.twiml.add(new Recorded.Twiml(Instant.now(), participant.callSid, url,
                        reply.status(), reply.contentType(), reply.body())))
                .chain(reply -> sleep(conditions.timing().step()))
                .chain(() -> {
                    synchronized (conference) {
                        if (!participant.joined()) {
                            return none();
                        }
                    }
                    return conferenceEvent(conference, "announcement-end", participant, authToken);
                });
    }

    // --- calls that join by TwiML -----------------------------------------------------------------------------------

    /**
     * The call joins the conference its {@code <Dial><Conference>} names and stays until it hangs up, runs other
     * TwiML, or the conference ends; then the dial's action is requested. The TwiML to run next: empty when there is
     * none to run (the call hung up or runs other TwiML), else the action's answer or, without an action, TwiML that
     * runs out.
     */
    Uni<Optional<Twiml>> join(SimCall call, Request request, String authToken) {
        var replaced = call.twimlReplaced;
        var participant = new SimConference.Participant(call.sid, null, request.startConferenceOnEnter(),
                request.endConferenceOnExit());
        SimConference conference = liveOrNew(call.accountSid, request.name(), call.region);
        synchronized (conference) {
            callbackOf(conference, request.statusCallback(), request.statusCallbackMethod(),
                    List.copyOf(request.statusCallbackEvents()));
            conference.participants.put(call.sid, participant);
        }
        var hungUp = Uni.createFrom().completionStage(() -> call.endRequested.thenApply(v -> v));
        var redirected = Uni.createFrom().completionStage(() -> replaced.thenApply(v -> v));
        return join(conference, participant, authToken)
                .chain(joined -> !joined ? none() : Uni.combine().any().of(hungUp, redirected, removed(participant)))
                .chain(() -> leave(conference, participant, authToken))
                .chain(() -> {
                    if (replaced.isDone()) {
                        return Uni.createFrom().item(Optional.<Twiml>empty());
                    }
                    if (request.action() == null) {
                        return Uni.createFrom().item(Optional.of(Twiml.parse(null, null)));
                    }
                    return action(call, conference, request, authToken);
                });
    }

    private Uni<Optional<Twiml>> action(SimCall call, SimConference conference, Request request, String authToken) {
        boolean over = isOver(call);
        var params = callParams(call, over ? "completed" : "in-progress");
        put(params, "ConferenceSid", conference.sid);
        return sender.send(new WebhookSender.Delivery("conference-action", call.sid, request.method(),
                request.action(), params, authToken), false).map(reply -> {
                    log.twiml.add(new Recorded.Twiml(Instant.now(), call.sid, request.action(), reply.status(),
                            reply.contentType(), reply.body()));
                    // A caller who hung up is told nothing more: the answer is recorded and not run.
                    return over || isOver(call) ? Optional.<Twiml>empty()
                            : Optional.of(Twiml.parse(reply.ok() ? reply.body() : null, request.action()));
                });
    }

    // --- the conference's life --------------------------------------------------------------------------------------

    /** The participant joins, starting the conference when it may; false when the conference is over already. */
    private Uni<Boolean> join(SimConference conference, SimConference.Participant participant, String authToken) {
        boolean starts;
        synchronized (conference) {
            if (conference.isOver()) {
                conference.participants.remove(participant.callSid);
                return Uni.createFrom().item(false);
            }
            participant.status = "connected";
            participant.updated = Instant.now();
            starts = participant.startConferenceOnEnter && "init".equals(conference.status);
            if (starts) {
                conference.moveTo("in-progress");
            }
        }
        Uni<Void> events = conferenceEvent(conference, "participant-join", participant, authToken);
        if (starts) {
            events = events.chain(() -> conferenceEvent(conference, "conference-start", null, authToken));
        }
        return events.replaceWith(true);
    }

    /**
     * The participant leaves; the conference ends when it was the last or ends the conference on exit, and every
     * other participant leaves then.
     */
    private Uni<Void> leave(SimConference conference, SimConference.Participant participant, String authToken) {
        List<SimConference.Participant> others = new ArrayList<>();
        boolean ends;
        synchronized (conference) {
            if (conference.participants.remove(participant.callSid) == null) {
                return none();
            }
            participant.status = "complete";
            participant.updated = Instant.now();
            boolean nobodyLeft = conference.participants.values().stream().noneMatch(SimConference.Participant::joined);
            ends = !conference.isOver() && (participant.endConferenceOnExit || nobodyLeft);
            if (ends) {
                conference.reasonEnded = participant.endConferenceOnExit
                        ? "participant-with-end-conference-on-exit-left"
                        : "last-participant-left";
                conference.callSidEndingConference = participant.callSid;
                conference.moveTo("completed");
                conference.participants.values().stream().filter(SimConference.Participant::joined)
                        .forEach(others::add);
                others.forEach(p -> {
                    conference.participants.remove(p.callSid);
                    p.status = "complete";
                });
            }
        }
        Uni<Void> events = conferenceEvent(conference, "participant-leave", participant, authToken);
        for (var other : others) {
            events = events.chain(() -> conferenceEvent(conference, "participant-leave", other, authToken));
        }
        if (ends) {
            events = events.chain(() -> conferenceEvent(conference, "conference-end", null, authToken))
                    .invoke(() -> others.forEach(p -> p.removed.complete(null)));
        }
        return events;
    }

    private Uni<Void> conferenceEvent(SimConference conference, String event, SimConference.Participant participant,
            String authToken) {
        String url;
        String method;
        Map<String, List<String>> params;
        synchronized (conference) {
            url = conference.statusCallback;
            method = conference.statusCallbackMethod;
            if (url == null || !conference.statusCallbackEvents.contains(token(event))) {
                return none();
            }
            params = conference.callbackParams(event, participant);
        }
        return sender.send(new WebhookSender.Delivery("conference-status", conference.sid, method, url, params,
                authToken), false).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** The {@code statusCallbackEvent} value that asks for an event: {@code participant-join} is {@code join}. */
    private static String token(String event) {
        return switch (event) {
            case "participant-hold", "participant-unhold" -> "hold";
            case "announcement-end", "announcement-fail" -> "announcement";
            default -> event.substring(event.indexOf('-') + 1);
        };
    }

    /** The live conference of the account with this SID or friendly name, or a new one of that name. */
    private SimConference liveOrNew(String accountSid, String name, SimRegion region) {
        synchronized (conferences) {
            var bySid = conferences.get(name);
            if (bySid != null && bySid.accountSid.equals(accountSid) && bySid.region == region) {
                return bySid;
            }
            for (var conference : conferences.values()) {
                synchronized (conference) {
                    if (conference.accountSid.equals(accountSid) && conference.region == region
                            && conference.friendlyName.equals(name) && !conference.isOver()) {
                        return conference;
                    }
                }
            }
            var created = new SimConference(accountSid, name, region);
            conferences.put(created.sid, created);
            return created;
        }
    }

    /** Only the first participant that names a status callback sets the conference's. Under its lock. */
    private static void callbackOf(SimConference conference, String url, String method, List<String> events) {
        if (conference.statusCallback == null && url != null) {
            conference.statusCallback = url;
            conference.statusCallbackMethod = method;
            conference.statusCallbackEvents = events(events, DEFAULT_EVENTS);
        }
    }

    /** The conferences not ended yet, each with the call SIDs of its participants. */
    List<SimulatedConference> live() {
        var live = new ArrayList<SimulatedConference>();
        for (var conference : conferences.values()) {
            synchronized (conference) {
                if (!conference.isOver()) {
                    live.add(snapshot(conference));
                }
            }
        }
        return live;
    }

    /** Every conference, live or ended, oldest first. */
    List<SimulatedConference> all() {
        return conferences.values().stream().map(c -> {
            synchronized (c) {
                return snapshot(c);
            }
        }).sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    private static SimulatedConference snapshot(SimConference conference) {
        var participants = new LinkedHashMap<String, String>();
        conference.participants.values().forEach(p -> participants.put(p.callSid, p.hold ? "held" : p.status));
        return new SimulatedConference(conference.sid, conference.friendlyName, conference.status,
                conference.reasonEnded, Map.copyOf(participants), conference.created);
    }

    void clear() {
        conferences.clear();
    }

    static Set<String> events(List<String> values, Set<String> fallback) {
        var events = new LinkedHashSet<String>();
        values.forEach(v -> events.addAll(Arrays.asList(v.trim().split("[\\s,]+"))));
        events.remove("");
        return events.isEmpty() ? fallback : Set.copyOf(events);
    }

    static Set<String> events(String attribute) {
        return attribute == null || attribute.isBlank() ? DEFAULT_EVENTS
                : Arrays.stream(attribute.trim().split("[\\s,]+")).collect(Collectors.toSet());
    }

    private static Uni<Void> removed(SimConference.Participant participant) {
        CompletableFuture<Void> removed = participant.removed;
        return Uni.createFrom().completionStage(() -> removed.thenApply(v -> v));
    }

    private static boolean ended(SimCall call) {
        return call.endRequested.isDone();
    }

    private static boolean isOver(SimCall call) {
        synchronized (call) {
            return call.isTerminal() || call.endRequested.isDone();
        }
    }

    private static Map<String, List<String>> callParams(SimCall call, String callStatus) {
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
            return none();
        }
        return Uni.createFrom().emitter(emitter -> vertx.setTimer(duration.toMillis(), id -> emitter.complete(null)));
    }

    private static Uni<Void> none() {
        return Uni.createFrom().voidItem();
    }
}
