package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A stateful, in-memory Twilio for dev and test. The REST side is served under {@code /sim} by
 * {@link SimulatorRouter}; this bean holds the state, and is the Java API tests use to seed it, inject faults,
 * deliver inbound calls and SMS, and read what happened.
 */
@IfBuildProfile(anyOf = {"dev", "test"})
@ApplicationScoped
public class TwilioSimulator {

    private final Map<String, RouteFailure> routeFailures = new ConcurrentHashMap<>();

    private static final String VALID_MAGIC_FROM = "+15005550006";
    // Twilio's codes for these refusals are not in our notes (a guess); callers must only rely on the 400 or 409.
    private static final int WEAK_PASSWORD = 21250;
    private static final Pattern DOMAIN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}\\.pstn\\.twilio\\.com");

    // Twilio's magic test numbers: https://www.twilio.com/docs/iam/test-credentials. The sender is checked first.
    private static final Map<String, SimError> CALL_FROM = Map.of(
            "+15005550001", new SimError(400, 21212, "The 'From' phone number provided is not a valid phone number"),
            "+15005550007", new SimError(400, 21210,
                    "The source phone number provided is not yet verified for your account"));
    private static final Map<String, SimError> CALL_TO = Map.of(
            "+15005550001", new SimError(400, 21211, "Invalid 'To' Phone Number"),
            "+15005550003", new SimError(400, 21215,
                    "Account not authorized to call this number: geographic permissions"),
            "+15005550004", new SimError(400, 21216, "Call blocked by Twilio blocklist"),
            "+15005550009", new SimError(400, 21214, "'To' phone number cannot be reached"));
    private static final Map<String, SimError> SMS_FROM = Map.of(
            "+15005550001", new SimError(400, 21212, "The 'From' number is not a valid phone number"),
            "+15005550007", new SimError(400, 21606,
                    "The 'From' phone number provided is not a valid message-capable Twilio phone number"),
            "+15005550008", new SimError(400, 21611,
                    "This 'From' number has exceeded the maximum number of queued messages"));
    private static final Map<String, SimError> SMS_TO = Map.of(
            "+15005550001", new SimError(400, 21211, "Invalid 'To' Phone Number"),
            "+15005550002", new SimError(400, 21612, "The 'To' phone number is not currently reachable via SMS"),
            "+15005550003", new SimError(400, 21408,
                    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
            "+15005550004", new SimError(400, 21610, "Attempt to send to unsubscribed recipient"),
            "+15005550009", new SimError(400, 21614, "'To' number is not a valid mobile number"));

    private final SimulatorConfig config;
    private final SimulatorLog log;
    private final CallFlow flow;
    private final Map<String, SimAccount> accounts = new LinkedHashMap<>();
    private final Map<String, SimCall> calls = new ConcurrentHashMap<>();
    private final Map<String, SimMessage> messages = new ConcurrentHashMap<>();
    private volatile Faults faults;
    private volatile Timing timing;

    TwilioSimulator(SimulatorConfig config, SimulatorLog log, CallFlow flow) {
        this.config = config;
        this.log = log;
        this.flow = flow;
        reset();
    }

    // --- Java API: seeding ------------------------------------------------------------------------------------------

    /** Back to the configured accounts, numbers, faults and timing, with empty logs. */
    public synchronized void reset() {
        accounts.clear();
        routeFailures.clear();
        calls.clear();
        messages.clear();
        log.clear();
        config.accounts().forEach((sid, account) -> {
            createAccount(sid, account.authToken());
            account.apiKeys().forEach((keySid, secret) -> addApiKey(sid, keySid, secret));
            account.numbers().orElse(List.of()).forEach(number -> addNumber(sid, number));
        });
        faults = Faults.of(config.faults());
        timing = Timing.of(config.timing());
    }

    public synchronized void createAccount(String accountSid, String authToken) {
        if (!Sids.isSid("AC", accountSid) || authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("an account needs an AC SID and an auth token");
        }
        accounts.put(accountSid, new SimAccount(accountSid, authToken));
    }

    public synchronized void addApiKey(String accountSid, String keySid, String secret) {
        if (!Sids.isSid("SK", keySid) || secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("an API key needs an SK SID and a secret");
        }
        requireAccount(accountSid).apiKeys.put(keySid, secret);
    }

    /** Gives the account a phone number (E.164) and returns its {@code PN…} SID; an owned number is kept. */
    public synchronized String addNumber(String accountSid, String phoneNumber) {
        if (!PhoneNumbers.isE164(phoneNumber)) {
            throw new IllegalArgumentException("not an E.164 number: " + phoneNumber);
        }
        var account = requireAccount(accountSid);
        var existing = account.numberByPhone(phoneNumber);
        if (existing != null) {
            return existing.sid;
        }
        var number = new SimNumber(accountSid, phoneNumber);
        account.numbers.put(number.sid, number);
        return number.sid;
    }

    /** The number as the REST API shows it. */
    public synchronized Optional<JsonObject> number(String accountSid, String phoneNumber) {
        var account = accounts.get(accountSid);
        var number = account == null ? null : account.numberByPhone(phoneNumber);
        return Optional.ofNullable(number).map(SimNumber::toJson);
    }

    // --- Java API: faults and timing --------------------------------------------------------------------------------

    public Faults faults() {
        return faults;
    }

    public void setFaults(Faults faults) {
        this.faults = faults;
    }

    public Timing timing() {
        return timing;
    }

    public void setTiming(Timing timing) {
        this.timing = timing;
    }

    // --- Java API: inbound traffic ----------------------------------------------------------------------------------

    /**
     * A call from {@code from} to the owned number {@code to}: posts Twilio's signed voice webhook to the number's
     * VoiceUrl and answers with what the service returned. The call then goes on (recordings, status callback).
     */
    public Uni<InboundDelivery> deliverInboundCall(String to, String from) {
        SimCall call;
        SimNumber number;
        SimAccount account;
        synchronized (this) {
            number = ownedNumber(to);
            account = accounts.get(number.accountSid);
            if (number.voiceUrl.isBlank()) {
                throw new SimError(400, 21602, "The number " + to + " has no VoiceUrl");
            }
            call = new SimCall(account.sid, from, to, "inbound");
            call.phoneNumberSid = number.sid;
            call.statusCallback = number.statusCallback;
            call.statusCallbackMethod = number.statusCallbackMethod;
            call.status = "ringing";
            calls.put(call.sid, call);
        }
        return flow.inboundCall(call, number, account.authToken, faults, timing);
    }

    /** An SMS from {@code from} to the owned number {@code to}; {@code <Message>} replies become outbound messages. */
    public Uni<InboundDelivery> deliverInboundSms(String to, String from, String body) {
        SimMessage message;
        SimNumber number;
        SimAccount account;
        synchronized (this) {
            number = ownedNumber(to);
            account = accounts.get(number.accountSid);
            if (number.smsUrl.isBlank()) {
                throw new SimError(400, 21602, "The number " + to + " has no SmsUrl");
            }
            message = new SimMessage(account.sid, from, to, body, null, "inbound", "received");
            messages.put(message.sid, message);
        }
        return flow.inboundSms(message, number, account.authToken).map(answer -> {
            for (var reply : answer.replies()) {
                var outbound = new SimMessage(account.sid, reply.from() != null ? reply.from() : to,
                        reply.to() != null ? reply.to() : from, reply.body(), null, "outbound-reply", "queued");
                outbound.statusCallback = reply.statusCallback();
                messages.put(outbound.sid, outbound);
                flow.runMessage(outbound, account.authToken, faults, timing);
            }
            return answer.delivery();
        });
    }

    // --- Java API: what happened ------------------------------------------------------------------------------------

    public List<SimulatedCall> calls() {
        return calls.values().stream().map(SimCall::snapshot)
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    public Optional<SimulatedCall> call(String sid) {
        return Optional.ofNullable(calls.get(sid)).map(SimCall::snapshot);
    }

    /** Completes when the call has ended and its last callback was sent. */
    public CompletionStage<SimulatedCall> callFinished(String sid) {
        var call = calls.get(sid);
        if (call == null) {
            throw new IllegalArgumentException("no call " + sid);
        }
        return call.finished.minimalCompletionStage();
    }

    public List<SimulatedMessage> messages() {
        return messages.values().stream().map(SimMessage::snapshot)
                .sorted((a, b) -> a.createdAt().compareTo(b.createdAt())).toList();
    }

    public Optional<SimulatedMessage> message(String sid) {
        return Optional.ofNullable(messages.get(sid)).map(SimMessage::snapshot);
    }

    /** Completes when the message is delivered and its last callback was sent. */
    public CompletionStage<SimulatedMessage> messageFinished(String sid) {
        var message = messages.get(sid);
        if (message == null) {
            throw new IllegalArgumentException("no message " + sid);
        }
        return message.finished.minimalCompletionStage();
    }

    /** Trunks of every account as Trunking v1 shows them (URLs relative to the simulator's trunking base). */
    public synchronized List<JsonObject> trunks() {
        return accounts.values().stream().flatMap(a -> a.trunks.values().stream()).map(t -> t.toJson("")).toList();
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

    // --- operations of the REST routes ------------------------------------------------------------------------------

    /** The account these basic-auth credentials open (account SID + token, or API key SID + secret), or null. */
    synchronized SimAccount authenticate(String username, String password) {
        if (username == null || password == null) {
            return null;
        }
        if (username.startsWith("AC")) {
            var account = accounts.get(username);
            return account != null && same(account.authToken, password) ? account : null;
        }
        for (var account : accounts.values()) {
            String secret = account.apiKeys.get(username);
            if (secret != null && same(secret, password)) {
                return account;
            }
        }
        return null;
    }

    void record(Recorded.Request request) {
        log.requests.add(request);
    }

    /**
     * Makes the next {@code times} requests to one route fail with this status and Twilio error code, whatever the
     * other faults say: for tests that need one particular step to fail. {@code route} is the pattern as recorded,
     * e.g. {@code POST} and {@code /v1/Trunks/{TrunkSid}/CredentialLists}.
     */
    public void failRoute(String method, String route, int status, int code, int times) {
        routeFailures.put(method + " " + route, new RouteFailure(status, code, new AtomicInteger(times)));
    }

    /** An injected failure for this request, if {@link #failRoute} asked for one. */
    Optional<SimError> drawRouteFailure(String method, String route) {
        var failure = routeFailures.get(method + " " + route);
        if (failure == null || failure.remaining().getAndDecrement() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new SimError(failure.status(), failure.code(), "injected failure"));
    }

    private record RouteFailure(int status, int code, AtomicInteger remaining) {
    }

    /** The customer changed the account's auth token: the old one stops working at once. */
    public synchronized void rotateAuthToken(String accountSid, String newToken) {
        requireAccount(accountSid).authToken = newToken;
    }

    /** The customer released the number, or moved it to another account. */
    public synchronized void removeNumber(String accountSid, String phoneNumber) {
        var account = requireAccount(accountSid);
        account.numbers.values().removeIf(n -> n.phoneNumber.equals(phoneNumber));
    }

    /** Whether this request draws an injected 500: the certain ones first, then the random share. */
    synchronized boolean drawServerError() {
        if (faults.failNextRequests() > 0) {
            faults = faults.withFailNextRequests(faults.failNextRequests() - 1);
            return true;
        }
        return faults.serverErrorRate() > 0 && ThreadLocalRandom.current().nextDouble() < faults.serverErrorRate();
    }

    // IncomingPhoneNumbers

    synchronized List<JsonObject> listNumbers(SimAccount account, String phoneNumber) {
        return account.numbers.values().stream()
                .filter(n -> phoneNumber == null || n.phoneNumber.equals(phoneNumber))
                .map(SimNumber::toJson).toList();
    }

    synchronized JsonObject fetchNumber(SimAccount account, String sid, String path) {
        return requireNumber(account, sid, path).toJson();
    }

    synchronized JsonObject updateNumber(SimAccount account, String sid, Params form, String path) {
        var number = requireNumber(account, sid, path);
        if (form.has("VoiceUrl")) {
            number.voiceUrl = form.get("VoiceUrl");
        }
        if (form.has("VoiceMethod")) {
            number.voiceMethod = method(form.get("VoiceMethod"));
        }
        if (form.has("VoiceFallbackUrl")) {
            number.voiceFallbackUrl = form.get("VoiceFallbackUrl");
        }
        if (form.has("VoiceFallbackMethod")) {
            number.voiceFallbackMethod = method(form.get("VoiceFallbackMethod"));
        }
        if (form.has("SmsUrl")) {
            number.smsUrl = form.get("SmsUrl");
        }
        if (form.has("SmsMethod")) {
            number.smsMethod = method(form.get("SmsMethod"));
        }
        if (form.has("StatusCallback")) {
            number.statusCallback = form.get("StatusCallback");
        }
        if (form.has("StatusCallbackMethod")) {
            number.statusCallbackMethod = method(form.get("StatusCallbackMethod"));
        }
        if (form.has("FriendlyName")) {
            number.friendlyName = form.get("FriendlyName");
        }
        if (form.has("TrunkSid")) {
            String trunkSid = form.get("TrunkSid");
            if (!trunkSid.isEmpty() && !account.trunks.containsKey(trunkSid)) {
                throw new SimError(400, 21245, "Invalid TrunkSid " + trunkSid);
            }
            number.trunkSid = trunkSid.isEmpty() ? null : trunkSid;
        }
        if (form.has("VoiceApplicationSid")) {
            number.voiceApplicationSid = sidOrNull("AP", form.get("VoiceApplicationSid"));
        }
        if (form.has("SmsApplicationSid")) {
            number.smsApplicationSid = sidOrNull("AP", form.get("SmsApplicationSid"));
        }
        number.updated = Instant.now();
        return number.toJson();
    }

    // SIP credential lists (2010 API)

    synchronized JsonObject createCredentialList(SimAccount account, Params form) {
        var list = new SimCredentialList(account.sid, form.require("FriendlyName"));
        account.credentialLists.put(list.sid, list);
        return list.toJson();
    }

    synchronized List<JsonObject> listCredentialLists(SimAccount account) {
        return account.credentialLists.values().stream().map(SimCredentialList::toJson).toList();
    }

    synchronized JsonObject fetchCredentialList(SimAccount account, String sid, String path) {
        return requireCredentialList(account, sid, path).toJson();
    }

    synchronized void deleteCredentialList(SimAccount account, String sid, String path) {
        requireCredentialList(account, sid, path);
        account.credentialLists.remove(sid);
        account.trunks.values().forEach(t -> t.credentialLists.remove(sid));
    }

    synchronized JsonObject createCredential(SimAccount account, String listSid, Params form, String path) {
        var list = requireCredentialList(account, listSid, path);
        String username = form.require("Username");
        String password = form.require("Password");
        if (password.length() < 12 || !password.matches(".*[A-Z].*") || !password.matches(".*[a-z].*")
                || !password.matches(".*[0-9].*")) {
            throw new SimError(400, WEAK_PASSWORD, "Password must be at least 12 characters long and contain at least "
                    + "one uppercase letter, one lowercase letter and one digit");
        }
        if (list.credentials.values().stream().anyMatch(c -> c.username().equals(username))) {
            throw new SimError(409, 21240, "Username " + username + " already exists in this credential list");
        }
        var credential = new SimCredentialList.Credential(Sids.next("CR"), username, password, Instant.now());
        list.credentials.put(credential.sid(), credential);
        return list.credentialJson(credential);
    }

    synchronized List<JsonObject> listCredentials(SimAccount account, String listSid, String path) {
        var list = requireCredentialList(account, listSid, path);
        return list.credentials.values().stream().map(list::credentialJson).toList();
    }

    // Trunks (Trunking v1)

    synchronized JsonObject createTrunk(SimAccount account, Params form, String base) {
        String domainName = form.get("DomainName");
        if (domainName != null && !domainName.isEmpty()) {
            if (!DOMAIN_NAME.matcher(domainName).matches()) {
                throw new SimError(400, 21245, "DomainName must be <unique name>.pstn.twilio.com: " + domainName);
            }
            boolean taken = accounts.values().stream().flatMap(a -> a.trunks.values().stream())
                    .anyMatch(t -> domainName.equals(t.domainName));
            if (taken) {
                throw new SimError(409, 21248, "DomainName " + domainName + " is already in use");
            }
        }
        var trunk = new SimTrunk(account.sid, form.get("FriendlyName"), blankToNull(domainName));
        account.trunks.put(trunk.sid, trunk);
        return trunk.toJson(base);
    }

    synchronized JsonObject fetchTrunk(SimAccount account, String sid, String path, String base) {
        return requireTrunk(account, sid, path).toJson(base);
    }

    synchronized List<JsonObject> listTrunks(SimAccount account, String base) {
        return account.trunks.values().stream().map(t -> t.toJson(base)).toList();
    }

    synchronized void deleteTrunk(SimAccount account, String sid, String path) {
        requireTrunk(account, sid, path);
        account.trunks.remove(sid);
        account.numbers.values().stream().filter(n -> sid.equals(n.trunkSid)).forEach(n -> n.trunkSid = null);
    }

    synchronized JsonObject attachCredentialList(SimAccount account, String trunkSid, Params form, String path,
            String base) {
        var trunk = requireTrunk(account, trunkSid, path);
        String listSid = form.require("CredentialListSid");
        var list = account.credentialLists.get(listSid);
        if (list == null) {
            throw SimError.notFound(path + " (CredentialListSid " + listSid + ")");
        }
        if (trunk.credentialLists.containsKey(listSid)) {
            throw new SimError(409, 21240, "Credential list " + listSid + " is already associated with the trunk");
        }
        trunk.credentialLists.put(listSid, Instant.now());
        return trunk.credentialListJson(base, list, trunk.credentialLists.get(listSid));
    }

    synchronized List<JsonObject> listTrunkCredentialLists(SimAccount account, String trunkSid, String path,
            String base) {
        var trunk = requireTrunk(account, trunkSid, path);
        var result = new ArrayList<JsonObject>();
        trunk.credentialLists.forEach((sid, attached) -> {
            var list = account.credentialLists.get(sid);
            if (list != null) {
                result.add(trunk.credentialListJson(base, list, attached));
            }
        });
        return result;
    }

    synchronized JsonObject fetchTrunkCredentialList(SimAccount account, String trunkSid, String sid, String path,
            String base) {
        var trunk = requireTrunk(account, trunkSid, path);
        var list = account.credentialLists.get(sid);
        if (list == null || !trunk.credentialLists.containsKey(sid)) {
            throw SimError.notFound(path);
        }
        return trunk.credentialListJson(base, list, trunk.credentialLists.get(sid));
    }

    synchronized void detachCredentialList(SimAccount account, String trunkSid, String sid, String path) {
        var trunk = requireTrunk(account, trunkSid, path);
        if (trunk.credentialLists.remove(sid) == null) {
            throw SimError.notFound(path);
        }
    }

    synchronized JsonObject createOriginationUrl(SimAccount account, String trunkSid, Params form, String path,
            String base) {
        var trunk = requireTrunk(account, trunkSid, path);
        String sipUrl = form.require("SipUrl");
        if (!sipUrl.startsWith("sip:")) {
            throw new SimError(400, 21245, "SipUrl must be a sip: URI");
        }
        var origination = new SimTrunk.OriginationUrl(Sids.next("OU"), form.require("FriendlyName"), sipUrl,
                form.integer("Weight", 10), form.integer("Priority", 10), !"false".equalsIgnoreCase(
                        form.get("Enabled", "true")), Instant.now());
        trunk.originationUrls.put(origination.sid(), origination);
        return trunk.originationUrlJson(base, origination);
    }

    synchronized List<JsonObject> listOriginationUrls(SimAccount account, String trunkSid, String path, String base) {
        var trunk = requireTrunk(account, trunkSid, path);
        return trunk.originationUrls.values().stream().map(o -> trunk.originationUrlJson(base, o)).toList();
    }

    synchronized void deleteOriginationUrl(SimAccount account, String trunkSid, String sid, String path) {
        var trunk = requireTrunk(account, trunkSid, path);
        if (trunk.originationUrls.remove(sid) == null) {
            throw SimError.notFound(path);
        }
    }

    // Calls

    JsonObject createCall(SimAccount account, Params form) {
        SimCall call;
        synchronized (this) {
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
            checkMagic(CALL_FROM, from);
            checkMagic(CALL_TO, to);
            if (!PhoneNumbers.isE164(to) && !to.startsWith("sip:") && !to.startsWith("client:")) {
                throw CALL_TO.get("+15005550001");
            }
            var owned = account.numberByPhone(from);
            if (owned == null && !VALID_MAGIC_FROM.equals(from)) {
                throw new SimError(400, 21210, "The source phone number provided, " + from
                        + ", is not yet verified for your account");
            }
            admitCall(account);
            call = new SimCall(account.sid, from, to, "outbound-api");
            call.phoneNumberSid = owned == null ? null : owned.sid;
            call.url = form.get("Url", null);
            call.method = method(form.get("Method", "POST"));
            call.twiml = form.get("Twiml", null);
            call.statusCallback = form.get("StatusCallback", null);
            call.statusCallbackMethod = method(form.get("StatusCallbackMethod", "POST"));
            call.statusCallbackEvents = events(form.all("StatusCallbackEvent"), Set.of("completed"));
            call.record = form.flag("Record");
            call.recordingStatusCallback = form.get("RecordingStatusCallback", null);
            call.recordingStatusCallbackMethod = method(form.get("RecordingStatusCallbackMethod", "POST"));
            call.recordingStatusCallbackEvents = events(form.all("RecordingStatusCallbackEvent"), Set.of("completed"));
            calls.put(call.sid, call);
        }
        flow.runOutbound(call, account.authToken, faults, timing);
        synchronized (call) {
            return call.toJson();
        }
    }

    JsonObject fetchCall(SimAccount account, String sid, String path) {
        var call = requireCall(account, sid, path);
        synchronized (call) {
            return call.toJson();
        }
    }

    List<JsonObject> listCalls(SimAccount account, Params query) {
        Predicate<SimCall> filter = c -> c.accountSid.equals(account.sid)
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

    JsonObject updateCall(SimAccount account, String sid, Params form, String path) {
        var call = requireCall(account, sid, path);
        synchronized (call) {
            String status = form.get("Status");
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

    // Messages

    JsonObject createMessage(SimAccount account, Params form) {
        SimMessage message;
        synchronized (this) {
            String to = form.get("To");
            String from = form.get("From", null);
            String service = form.get("MessagingServiceSid", null);
            if (to == null || to.isBlank()) {
                throw new SimError(400, 21604, "A 'To' phone number is required");
            }
            if (from == null && service == null) {
                throw new SimError(400, 21603, "A 'From' phone number is required");
            }
            String body = form.get("Body", null);
            if (body == null && form.get("MediaUrl", null) == null) {
                throw new SimError(400, 21602, "Message body is required");
            }
            if (from != null) {
                checkMagic(SMS_FROM, from);
            }
            checkMagic(SMS_TO, to);
            if (!PhoneNumbers.isE164(to)) {
                throw SMS_TO.get("+15005550001");
            }
            if (service != null && !Sids.isSid("MG", service)) {
                throw new SimError(400, 21701, "The Messaging Service Sid " + service + " is invalid");
            }
            if (from != null && account.numberByPhone(from) == null && !VALID_MAGIC_FROM.equals(from)) {
                throw SMS_FROM.get("+15005550007");
            }
            message = new SimMessage(account.sid, from, to, body == null ? "" : body, service, "outbound-api",
                    service != null ? "accepted" : "queued");
            message.statusCallback = form.get("StatusCallback", null);
            messages.put(message.sid, message);
        }
        flow.runMessage(message, account.authToken, faults, timing);
        synchronized (message) {
            return message.toJson();
        }
    }

    JsonObject fetchMessage(SimAccount account, String sid, String path) {
        var message = messages.get(sid);
        if (message == null || !message.accountSid.equals(account.sid)) {
            throw SimError.notFound(path);
        }
        synchronized (message) {
            return message.toJson();
        }
    }

    List<JsonObject> listMessages(SimAccount account, Params query) {
        return messages.values().stream()
                .filter(m -> m.accountSid.equals(account.sid)
                        && (query.get("To") == null || query.get("To").equals(m.to))
                        && (query.get("From") == null || query.get("From").equals(m.from)))
                .sorted((a, b) -> b.created.compareTo(a.created))
                .map(m -> {
                    synchronized (m) {
                        return m.toJson();
                    }
                }).toList();
    }

    // Lookups v2

    JsonObject lookup(String rawNumber, String countryCode, String base) {
        String number = rawNumber;
        if (!number.startsWith("+") && "US".equalsIgnoreCase(countryCode)) {
            number = "+1" + number.replaceAll("[^0-9]", "");
        }
        boolean valid = PhoneNumbers.isValid(number);
        var errors = new JsonArray();
        if (!valid) {
            errors.add(number.replaceAll("[^0-9]", "").length() < 8 ? "TOO_SHORT" : "INVALID_BUT_POSSIBLE");
        }
        String callingCode = PhoneNumbers.callingCode(number);
        // The data packages (caller_name, line_type_intelligence, ...) are left out: their schemas are objects that
        // may not be null, and the simulator has no data for them.
        return new JsonObject()
                .put("calling_country_code", callingCode)
                .put("country_code", PhoneNumbers.country(number))
                .put("phone_number", number)
                .put("national_format", valid ? PhoneNumbers.nationalFormat(number) : null)
                .put("valid", valid)
                .put("validation_errors", errors)
                .put("phone_number_quality_score", null)
                .put("pre_fill", null)
                .put("url", base + "/v2/PhoneNumbers/" + number);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void admitCall(SimAccount account) {
        int limit = faults.callsPerSecond();
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

    private SimNumber ownedNumber(String phoneNumber) {
        return accounts.values().stream().map(a -> a.numberByPhone(phoneNumber)).filter(n -> n != null)
                .findFirst().orElseThrow(() -> new SimError(404, 20404, "No account owns " + phoneNumber));
    }

    private SimAccount requireAccount(String accountSid) {
        var account = accounts.get(accountSid);
        if (account == null) {
            throw new IllegalArgumentException("no simulated account " + accountSid);
        }
        return account;
    }

    private static SimNumber requireNumber(SimAccount account, String sid, String path) {
        var number = account.numbers.get(sid);
        if (number == null) {
            throw SimError.notFound(path);
        }
        return number;
    }

    private static SimCredentialList requireCredentialList(SimAccount account, String sid, String path) {
        var list = account.credentialLists.get(sid);
        if (list == null) {
            throw SimError.notFound(path);
        }
        return list;
    }

    private static SimTrunk requireTrunk(SimAccount account, String sid, String path) {
        var trunk = account.trunks.get(sid);
        if (trunk == null) {
            throw SimError.notFound(path);
        }
        return trunk;
    }

    private SimCall requireCall(SimAccount account, String sid, String path) {
        var call = calls.get(sid);
        if (call == null || !call.accountSid.equals(account.sid)) {
            throw SimError.notFound(path);
        }
        return call;
    }

    private static void checkMagic(Map<String, SimError> magic, String number) {
        var error = magic.get(number);
        if (error != null) {
            throw error;
        }
    }

    private static Set<String> events(List<String> values, Set<String> fallback) {
        var events = new LinkedHashSet<String>();
        // The SDKs repeat the key; curl users often send one space-separated value.
        values.forEach(v -> events.addAll(List.of(v.trim().split("[\\s,]+"))));
        events.remove("");
        return events.isEmpty() ? fallback : Set.copyOf(events);
    }

    private static String method(String value) {
        if (value == null || value.isEmpty()) {
            return "POST";
        }
        String upper = value.toUpperCase();
        if (!upper.equals("GET") && !upper.equals("POST")) {
            throw new SimError(400, 21260, "Method must be GET or POST: " + value);
        }
        return upper;
    }

    private static String sidOrNull(String prefix, String value) {
        if (!value.isEmpty() && !Sids.isSid(prefix, value)) {
            throw new SimError(400, 21245, "Invalid " + prefix + " SID " + value);
        }
        return value.isEmpty() ? null : value;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static boolean same(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                actual.getBytes(StandardCharsets.UTF_8));
    }
}
