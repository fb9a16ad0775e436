package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * {@code /2010-04-01/Accounts/{AccountSid}/Calls}: outbound calls created over REST, inbound calls delivered by
 * tests, and the hang-ups and cancels of either. {@link CallFlow} moves each call through its life.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class Calls implements TwilioResource {

    private final Accounts accounts;
    private final Conditions conditions;
    private final CallFlow flow;
    private final Map<String, SimCall> calls = new ConcurrentHashMap<>();

    Calls(Accounts accounts, Conditions conditions, CallFlow flow) {
        this.accounts = accounts;
        this.conditions = conditions;
        this.flow = flow;
    }

    @Override
    public void register(Routes routes) {
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Calls.json",
                x -> Reply.created(create(x.account(), x.form(), x.region(), x.arrival())));
        routes.on(HttpMethod.GET, "api", ACCOUNT + "/Calls.json", x -> Reply.ok(Pages.page2010("calls",
                list(x.account(), x.query(), x.region()), x.account().uri("/Calls.json"), x.query(),
                List.of("To", "From", "Status"))));
        routes.on(HttpMethod.GET, "api", ACCOUNT + "/Calls/{Sid}.json",
                x -> Reply.ok(fetch(x.account(), x.path("Sid"), x.requestPath(), x.region())));
        routes.on(HttpMethod.POST, "api", ACCOUNT + "/Calls/{Sid}.json",
                x -> Reply.ok(update(x.account(), x.path("Sid"), x.form(), x.requestPath(), x.region())));
    }

    /**
     * The call counts against the account's CPS from when its request arrived, as Twilio counts it at its edge, not
     * from when the simulator got round to it: the validation, a latency fault or a busy event loop in between are
     * the simulator's own time.
     */
    JsonObject create(SimAccount account, Params form, SimRegion region, Arrival arrival) {
        SimCall call;
        synchronized (accounts) {
            String to = form.get("To");
            String from = form.get("From");
            if (to == null || to.isBlank()) {
                throw new SimError(400, 21201, "No 'To' number is specified");
            }
            if (from == null || from.isBlank()) {
                throw new SimError(400, 21213, "No 'From' number is specified");
            }
            if (form.get("Url", null) == null && form.get("Twiml", null) == null) {
                throw new SimError(400, 21205, "Url parameter is required");
            }
            MagicNumbers.checkCall(from, to);
            String machineDetection = machineDetection(form);
            if (!NumberingPlan.isPossible(to) && !to.startsWith("sip:") && !to.startsWith("client:")) {
                throw MagicNumbers.invalidCallTo();
            }
            var owned = account.numberByPhone(from);
            if (owned == null && !MagicNumbers.VALID_FROM.equals(from)) {
                throw new SimError(400, 21210, "The source phone number provided, " + from
                        + ", is not yet verified for your account");
            }
            admit(account);
            call = new SimCall(account.sid, from, to, "outbound-api", arrival.at());
            call.queuedNanos = queue(account, arrival.nanos());
            call.phoneNumberSid = owned == null ? null : owned.sid;
            call.region = region;
            call.url = form.get("Url", null);
            call.method = form.method("Method");
            call.twiml = form.get("Twiml", null);
            call.statusCallback = form.get("StatusCallback", null);
            call.statusCallbackMethod = form.method("StatusCallbackMethod");
            call.statusCallbackEvents = events(form.all("StatusCallbackEvent"), Set.of("completed"));
            call.record = form.flag("Record");
            call.recordingStatusCallback = form.get("RecordingStatusCallback", null);
            call.recordingStatusCallbackMethod = form.method("RecordingStatusCallbackMethod");
            call.recordingStatusCallbackEvents = events(form.all("RecordingStatusCallbackEvent"), Set.of("completed"));
            call.machineDetection = machineDetection;
            call.asyncAmd = machineDetection != null && form.flag("AsyncAmd");
            call.asyncAmdStatusCallback = form.get("AsyncAmdStatusCallback", null);
            call.asyncAmdStatusCallbackMethod = form.method("AsyncAmdStatusCallbackMethod");
            calls.put(call.sid, call);
        }
        flow.runOutbound(call, account.authToken, conditions.faults(), conditions.timing());
        synchronized (call) {
            return call.toJson();
        }
    }

    JsonObject fetch(SimAccount account, String sid, String path, SimRegion region) {
        var call = require(account, sid, path, region);
        synchronized (call) {
            return call.toJson();
        }
    }

    List<JsonObject> list(SimAccount account, Params query, SimRegion region) {
        Predicate<SimCall> filter = c -> c.accountSid.equals(account.sid) && c.region == region
                && (query.get("To") == null || query.get("To").equals(c.to))
                && (query.get("From") == null || query.get("From").equals(c.from))
                && (query.get("Status") == null || query.get("Status").equals(c.status));
        return calls.values().stream().filter(filter)
                .sorted((a, b) -> b.created.compareTo(a.created))
                .map(c -> {
                    synchronized (c) {
                        return c.toJson();
                    }
                }).toList();
    }

    JsonObject update(SimAccount account, String sid, Params form, String path, SimRegion region) {
        var call = require(account, sid, path, region);
        synchronized (call) {
            String status = form.get("Status");
            String twiml = form.get("Twiml", null);
            String url = form.get("Url", null);
            if (status == null && (twiml != null || url != null)) {
                if (!"in-progress".equals(call.status) || call.endRequested.isDone()) {
                    // Twilio's refusal to redirect a call that is not live (https://www.twilio.com/docs/api/errors/21220).
                    throw new SimError(400, 21220, "Call is not in-progress. Cannot redirect.");
                }
                // A live call runs the new TwiML in place of its current one (Calls update, Twiml or Url).
                flow.redirect(call, twiml, url, form.method("Method"), account.authToken, conditions.timing());
            }
            if (status != null && !call.isTerminal()) {
                switch (status) {
                    case "canceled" -> {
                        // Cancelling only stops a call that has not been answered, as in Twilio.
                        if (!"in-progress".equals(call.status)) {
                            call.moveTo("canceled");
                            call.endRequested.complete(null);
                        }
                    }
                    case "completed" -> {
                        call.moveTo("in-progress".equals(call.status) ? "completed" : "canceled");
                        call.endRequested.complete(null);
                    }
                    default -> throw new SimError(400, 21218, "Invalid Status " + status);
                }
            }
            return call.toJson();
        }
    }

    /** See {@link TwilioSimulator#deliverInboundCall}. */
    Uni<InboundDelivery> deliverInbound(String to, String from) {
        return deliverInbound(to, from, SimRegion.US1);
    }

    /** An inbound call handled in {@code region}, where it is then seen and updated. */
    Uni<InboundDelivery> deliverInbound(String to, String from, SimRegion region) {
        SimCall call;
        SimNumber number;
        SimAccount account;
        synchronized (accounts) {
            number = accounts.ownedNumber(to);
            account = accounts.get(number.accountSid);
            if (number.voiceUrl.isBlank()) {
                throw new SimError(400, 21602, "The number " + to + " has no VoiceUrl");
            }
            call = new SimCall(account.sid, from, to, "inbound");
            call.region = region;
            call.phoneNumberSid = number.sid;
            call.statusCallback = number.statusCallback;
            call.statusCallbackMethod = number.statusCallbackMethod;
            call.status = "ringing";
            calls.put(call.sid, call);
        }
        return flow.inboundCall(call, number, account.authToken, conditions.faults(), conditions.timing());
    }

    /** A call placed for a conference participant ({@link Conferences}), seen and updated as every other call. */
    void add(SimCall call) {
        calls.put(call.sid, call);
    }

    /** The call with this SID, or null. */
    SimCall find(String sid) {
        return calls.get(sid);
    }

    /** The caller of the call hangs up; false when there is no such call. */
    boolean hangUp(String sid) {
        var call = calls.get(sid);
        if (call == null) {
            return false;
        }
        call.endRequested.complete(null);
        return true;
    }

    /** Every call, oldest first. */
    List<SimulatedCall> snapshots() {
        return calls.values().stream().map(SimCall::snapshot)
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    Optional<SimulatedCall> snapshot(String sid) {
        return Optional.ofNullable(calls.get(sid)).map(SimCall::snapshot);
    }

    /** See {@link TwilioSimulator#refer}. */
    Uni<SimulatedRefer> refer(String sid, String referTo, Map<String, String> headers) {
        var call = calls.get(sid);
        if (call == null) {
            throw SimError.notFound("/admin/calls/" + sid + "/refer");
        }
        if (referTo == null || referTo.isBlank()) {
            throw new IllegalArgumentException("referTo is required");
        }
        return flow.refer(call, referTo, headers, accounts.get(call.accountSid).authToken);
    }

    /** See {@link TwilioSimulator#heldBySipAgent}. */
    boolean heldBySipAgent(String sid) {
        var call = calls.get(sid);
        return call != null && call.referDial != null;
    }

    /** See {@link TwilioSimulator#endAgentLeg}. */
    boolean endAgentLeg(String sid) {
        var call = calls.get(sid);
        return call != null && call.agentLegEnded.complete(null);
    }

    Map<String, String> recordingStatuses(String sid) {
        var call = calls.get(sid);
        if (call == null) {
            return Map.of();
        }
        synchronized (call) {
            var statuses = new LinkedHashMap<String, String>();
            call.recordings.forEach(r -> statuses.put(r.sid, r.status));
            return statuses;
        }
    }

    CompletionStage<SimulatedCall> finished(String sid) {
        var call = calls.get(sid);
        if (call == null) {
            throw new IllegalArgumentException("no call " + sid);
        }
        return call.finished.minimalCompletionStage();
    }

    void clear() {
        calls.clear();
    }

    /**
     * The detection mode asked for, or null. The spec types MachineDetection and AsyncAmd as plain strings; Twilio's
     * documentation allows {@code Enable} or {@code DetectMessageEnd}, and {@code true} or {@code false}
     * (https://www.twilio.com/docs/voice/answering-machine-detection#api-parameters), so anything else is refused
     * here. Detection is ignored when SendDigits is given, as the spec says.
     */
    private static String machineDetection(Params form) {
        String mode = form.get("MachineDetection", null);
        String async = form.get("AsyncAmd", null);
        if (async != null && !"true".equals(async) && !"false".equals(async)) {
            throw new SimError(400, 20001, "AsyncAmd must be true or false");
        }
        if (mode == null || form.get("SendDigits", null) != null) {
            return null;
        }
        if (!"Enable".equals(mode) && !"DetectMessageEnd".equals(mode)) {
            throw new SimError(400, 20001, "MachineDetection must be Enable or DetectMessageEnd");
        }
        return mode;
    }

    /** The calls-per-second fault: Twilio's 429 past the account's limit. Under the accounts' monitor. */
    private void admit(SimAccount account) {
        int limit = conditions.faults().callsPerSecond();
        if (limit <= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        while (!account.recentCalls.isEmpty() && now - account.recentCalls.peekFirst() >= 1000) {
            account.recentCalls.pollFirst();
        }
        if (account.recentCalls.size() >= limit) {
            throw new SimError(429, 20429, "Too Many Requests");
        }
        account.recentCalls.addLast(now);
    }

    /**
     * The account's CPS as Twilio enforces it: "API requests for calls that exceed the CPS rate limit will be queued,
     * and executed as capacity is available" (https://help.twilio.com/articles/223180028, and
     * https://www.twilio.com/docs/glossary/cps), never refused. The call is executed once fewer than
     * {@code callsPerSecond} calls were executed in the second before, so no one-second window ever holds more; returns
     * how long it waits for that (0: it arrived within the limit). Under the accounts' monitor.
     */
    private static long queue(SimAccount account, long arrivedAt) {
        int limit = account.callsPerSecond;
        if (limit <= 0) {
            return 0;
        }
        var executions = account.executions;
        while (executions.size() > limit) {
            executions.pollFirst();
        }
        long executedAt = arrivedAt;
        if (!executions.isEmpty()) {
            // First in, first out: never before a call queued earlier.
            executedAt = Math.max(executedAt, executions.peekLast());
        }
        if (executions.size() == limit) {
            // The limit-th execution back frees its capacity one second after it ran.
            executedAt = Math.max(executedAt, executions.peekFirst() + 1_000_000_000L);
            executions.pollFirst();
        }
        executions.addLast(executedAt);
        return executedAt - arrivedAt;
    }

    /** The call of the account, as the region that handles it sees it; other regions do not know it. */
    SimCall require(SimAccount account, String sid, String path, SimRegion region) {
        var call = calls.get(sid);
        if (call == null || !call.accountSid.equals(account.sid) || call.region != region) {
            throw SimError.notFound(path);
        }
        return call;
    }

    private static Set<String> events(List<String> values, Set<String> fallback) {
        var events = new LinkedHashSet<String>();
        // The SDKs repeat the key; curl users often send one space-separated value.
        values.forEach(v -> events.addAll(List.of(v.trim().split("[\\s,]+"))));
        events.remove("");
        return events.isEmpty() ? fallback : Set.copyOf(events);
    }
}
