package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * A stateful, in-memory Twilio for dev and test. {@link SimulatorRouter} serves its REST resources under
 * {@code /sim}, each from its own class ({@link IncomingPhoneNumbers}, {@link CredentialLists}, {@link Trunks},
 * {@link Calls}, {@link Messages}, {@link Lookups}). This is the Java API tests use to seed it, inject faults,
 * deliver inbound calls and SMS, and read what happened.
 */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
public class TwilioSimulator {

    private final Accounts accounts;
    private final Conditions conditions;
    private final Calls calls;
    private final Messages messages;
    private final Trunks trunks;
    private final SimulatorLog log;
    private final DialLegs dials;
    private final Conferences conferences;

    TwilioSimulator(Accounts accounts, Conditions conditions, Calls calls, Messages messages, Trunks trunks,
            SimulatorLog log, DialLegs dials, Conferences conferences) {
        this.dials = dials;
        this.conferences = conferences;
        this.accounts = accounts;
        this.conditions = conditions;
        this.calls = calls;
        this.messages = messages;
        this.trunks = trunks;
        this.log = log;
    }

    // --- seeding ----------------------------------------------------------------------------------------------------

    /** Back to the configured accounts, numbers, faults and timing, with empty logs. */
    public void reset() {
        synchronized (accounts) {
            accounts.reset();
            conditions.reset();
            calls.clear();
            dials.clear();
            conferences.clear();
            messages.clear();
            log.clear();
        }
    }

    /** Whether the simulator has this account. */
    public boolean hasAccount(String accountSid) {
        return accounts.get(accountSid) != null;
    }

    /** A new account; {@link IllegalStateException} for a SID that exists (it is never replaced). */
    public void createAccount(String accountSid, String authToken) {
        accounts.create(accountSid, authToken);
    }

    /** A US1 API key of the account. */
    public void addApiKey(String accountSid, String keySid, String secret) {
        accounts.addApiKey(accountSid, keySid, secret);
    }

    /** An API key made in that region: it authenticates there and nowhere else. */
    public void addApiKey(String accountSid, SimRegion region, String keySid, String secret) {
        accounts.addApiKey(accountSid, region, keySid, secret);
    }

    /**
     * The account's auth token for a region other than US1 (the token of {@link #createAccount} is US1's): it
     * authenticates in that region and nowhere else, as Twilio's regional credentials do.
     */
    public void addRegionalAuthToken(String accountSid, SimRegion region, String authToken) {
        accounts.addRegionalAuthToken(accountSid, region, authToken);
    }

    /** Gives the account a phone number (E.164) and returns its {@code PN…} SID; an owned number is kept. */
    public String addNumber(String accountSid, String phoneNumber) {
        return accounts.addNumber(accountSid, phoneNumber);
    }

    /** The number as the REST API shows it. */
    public Optional<JsonObject> number(String accountSid, String phoneNumber) {
        return accounts.number(accountSid, phoneNumber);
    }

    /** The customer changed the account's auth token: the old one stops working at once. */
    public void rotateAuthToken(String accountSid, String newToken) {
        accounts.rotateAuthToken(accountSid, newToken);
    }

    /**
     * A rotation as Twilio's Accounts API makes one, step one: a secondary auth token that authenticates REST requests
     * beside the primary (webhooks are still signed with the primary). Made again, it replaces the previous one.
     */
    public void createSecondaryAuthToken(String accountSid, String token) {
        accounts.createSecondaryAuthToken(accountSid, token);
    }

    /** The secondary auth token stops authenticating; false when there was none. */
    public boolean deleteSecondaryAuthToken(String accountSid) {
        return accounts.deleteSecondaryAuthToken(accountSid);
    }

    /**
     * Step two: the secondary token becomes the primary, which signs webhooks from now on; the old primary stops
     * working at once. Answers the new primary; {@link IllegalStateException} without a secondary token.
     */
    public String promoteSecondaryAuthToken(String accountSid) {
        return accounts.promote(accountSid);
    }

    /**
     * The account's CPS, raised or lowered as in Twilio's console: calls created faster are queued and executed as
     * capacity frees, never refused; each such call's snapshot says it arrived {@code overLimit}. 0: no limit.
     */
    public void setCallsPerSecond(String accountSid, int callsPerSecond) {
        accounts.setCallsPerSecond(accountSid, callsPerSecond);
    }

    /** The customer released the number, or moved it to another account. */
    public void removeNumber(String accountSid, String phoneNumber) {
        accounts.removeNumber(accountSid, phoneNumber);
    }

    // --- faults and timing ------------------------------------------------------------------------------------------

    public Faults faults() {
        return conditions.faults();
    }

    public void setFaults(Faults faults) {
        conditions.setFaults(faults);
    }

    public Timing timing() {
        return conditions.timing();
    }

    public void setTiming(Timing timing) {
        conditions.setTiming(timing);
    }

    /**
     * Makes the next {@code times} requests to one route fail with this status and Twilio error code, whatever the
     * other faults say: for tests that need one particular step to fail. {@code route} is the pattern as recorded,
     * e.g. {@code POST} and {@code /v1/Trunks/{TrunkSid}/CredentialLists}.
     */
    public void failRoute(String method, String route, int status, int code, int times) {
        conditions.failRoute(method, route, status, code, times);
    }

    /**
     * An outage of one region: every request to it is answered with this status and Twilio error code until
     * {@link #clearScopedFaults} or {@link #reset}. The other regions are not affected, as Twilio's regions are
     * isolated.
     */
    public void failRegion(SimRegion region, int status, int code) {
        conditions.failRegion(region, status, code);
    }

    /** Every request of one account, in any region, answered with this status and Twilio error code. */
    public void failAccount(String accountSid, int status, int code) {
        conditions.failAccount(accountSid, status, code);
    }

    /** Every request of one account answered this much later than the others (a slow or throttled account). */
    public void delayAccount(String accountSid, Duration delay) {
        conditions.delayAccount(accountSid, delay);
    }

    /** Ends the region outages and account faults and delays. */
    public void clearScopedFaults() {
        conditions.clearScopedFaults();
    }

    /**
     * Holds back the answers to the next {@code times} requests to one route by {@code delay}, each carried out at once
     * as usual: a request Twilio applied whose answer comes too late for the client, or never reaches it (what the
     * client then knows is only that it timed out).
     */
    public void delayRouteAnswers(String method, String route, Duration delay, int times) {
        conditions.delayRouteAnswers(method, route, delay, times);
    }

    // --- inbound traffic --------------------------------------------------------------------------------------------

    /**
     * A call from {@code from} to the owned number {@code to}: posts Twilio's signed voice webhook to the number's
     * VoiceUrl and answers with what the service returned. The call then goes on (recordings, status callback).
     */
    public Uni<InboundDelivery> deliverInboundCall(String to, String from) {
        return calls.deliverInbound(to, from);
    }

    /**
     * The agent of a live call ends its side on purpose: closes its stream or ConversationRelay session, or hangs up
     * its {@code <Dial>} leg. Twilio then requests the verb's {@code action}, with no error, and runs its answer.
     * False when the call is unknown or its agent leg ended already.
     */
    public boolean endAgentLeg(String sid) {
        return calls.endAgentLeg(sid);
    }

    /**
     * The SIP agent of a live call sends a SIP REFER to {@code referTo} (the {@code Refer-To} address, a {@code sip:}
     * or {@code tel:} URI), with these custom headers: Twilio requests the agent's {@code <Dial referUrl>} and runs
     * its TwiML on the caller's leg, or keeps the caller with the agent when it fails (see {@link CallFlow#refer}).
     * Fails with a 409 {@link SimError} when no SIP agent's {@code <Dial>} holds the call.
     */
    public Uni<SimulatedRefer> refer(String callSid, String referTo, Map<String, String> headers) {
        return calls.refer(callSid, referTo, headers);
    }

    /** Whether a SIP agent's {@code <Dial>} holds the call, so that the agent can send a REFER. */
    public boolean heldBySipAgent(String callSid) {
        return calls.heldBySipAgent(callSid);
    }

    /** As {@link #deliverInboundCall(String, String)}, the call handled in {@code region} (and only seen there). */
    public Uni<InboundDelivery> deliverInboundCall(String to, String from, SimRegion region) {
        return calls.deliverInbound(to, from, region);
    }

    /**
     * A party hangs up: the caller of a call, or the target of a leg its {@code <Dial>} placed. False when no call
     * or leg has this sid.
     */
    public boolean hangUp(String sid) {
        if (dials.hangUp(sid)) {
            return true;
        }
        return calls.hangUp(sid);
    }

    /** An SMS from {@code from} to the owned number {@code to}; {@code <Message>} replies become outbound messages. */
    public Uni<InboundDelivery> deliverInboundSms(String to, String from, String body) {
        return messages.deliverInbound(to, from, body);
    }

    // --- what happened ----------------------------------------------------------------------------------------------

    public List<SimulatedCall> calls() {
        return calls.snapshots();
    }

    /** The legs the call's {@code <Dial>}s placed, oldest first. */
    public List<SimulatedCall> dialLegs(String callSid) {
        return dials.of(callSid);
    }

    /** Every call and dialed leg that has not ended: what a test checks is gone once every party hung up. */
    public List<SimulatedCall> liveCalls() {
        var live = new java.util.ArrayList<SimulatedCall>(dials.live());
        calls.snapshots().stream().filter(c -> !terminal(c.status())).forEach(live::add);
        return live;
    }

    private static boolean terminal(String status) {
        return switch (status) {
            case "completed", "busy", "failed", "no-answer", "canceled" -> true;
            default -> false;
        };
    }

    /** The conferences not ended yet: what a test checks is gone once every party hung up. */
    public List<SimulatedConference> liveConferences() {
        return conferences.live();
    }

    /** Every conference, live or ended, oldest first. */
    public List<SimulatedConference> conferences() {
        return conferences.all();
    }

    public Optional<SimulatedCall> call(String sid) {
        return calls.snapshot(sid);
    }

    /** The status of each recording of the call (in-progress, paused, stopped), by recording sid, oldest first. */
    public Map<String, String> callRecordings(String sid) {
        return calls.recordingStatuses(sid);
    }

    /** Completes when the call has ended and its last callback was sent. */
    public CompletionStage<SimulatedCall> callFinished(String sid) {
        return calls.finished(sid);
    }

    public List<SimulatedMessage> messages() {
        return messages.snapshots();
    }

    public Optional<SimulatedMessage> message(String sid) {
        return messages.snapshot(sid);
    }

    /** Completes when the message is delivered and its last callback was sent. */
    public CompletionStage<SimulatedMessage> messageFinished(String sid) {
        return messages.finished(sid);
    }

    /** Trunks of every account as Trunking v1 shows them (URLs relative to the simulator's trunking base). */
    public List<JsonObject> trunks() {
        return trunks.all();
    }

    public List<Recorded.Request> requests() {
        return List.copyOf(log.requests);
    }

    /** Requests per {@code "METHOD route"}, e.g. {@code "POST /2010-04-01/Accounts/{AccountSid}/Calls.json"}. */
    public Map<String, Long> requestCounts() {
        var counts = new LinkedHashMap<String, Long>();
        log.requests.forEach(r -> counts.merge(r.method() + " " + r.route(), 1L, Long::sum));
        return counts;
    }

    public long requestCount(String method, String route) {
        return log.requests.stream().filter(r -> r.method().equals(method) && r.route().equals(route)).count();
    }

    public List<Recorded.Twiml> twiml() {
        return List.copyOf(log.twiml);
    }

    public List<Recorded.Callback> callbacks() {
        return List.copyOf(log.callbacks);
    }

    /** Callbacks about one call or message, oldest first. */
    public List<Recorded.Callback> callbacks(String sid) {
        return log.callbacks.stream().filter(c -> sid.equals(c.sid())).toList();
    }
}
