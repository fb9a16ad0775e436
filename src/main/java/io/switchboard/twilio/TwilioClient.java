package io.switchboard.twilio;

import static io.switchboard.twilio.TwilioHttp.segment;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.faulttolerance.api.CustomBackoff;
import io.smallrye.faulttolerance.api.RetryWhen;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioEndpoints.Product;
import io.switchboard.twilio.TwilioHttp.Form;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * The one way into Twilio's REST API for the rest of the service: the customers' own accounts, in their regions.
 * <p>
 * Our own small client on the non-blocking Vert.x web client rather than twilio-java's resource classes: twilio-java's
 * HTTP is blocking (its "async" runs the blocking call on a thread pool), and its default client retries every 5xx
 * three times, POSTs included, which can place a call or send a message twice. Here the wire layer
 * ({@link TwilioHttp}) classifies each failure once, and this class decides what is retried: only what Twilio
 * never processed (429 / 20429, no connection). A create that timed out or met a 5xx is
 * {@link TwilioException.Kind#AMBIGUOUS} and is never repeated; a read or an update that did is retried.
 * <p>
 * Fault tolerance, per method: {@code @Timeout} bounds one attempt including all pages (the per-request timeout of
 * {@code twilio.client.request-timeout} is shorter, so timeouts normally arrive classified); retries back off
 * exponentially and honour {@code Retry-After} ({@link RetryAfterBackoff}); their values can be set under
 * {@code quarkus.fault-tolerance."io.switchboard.twilio.TwilioClient".<strategy>.<key>}. Breakers and connection
 * pools are not shared by everyone: each region has its own pool, and each region and account its own breaker and
 * bound on requests in flight ({@link TwilioGuards}, {@code switchboard.twilio.client.*}), so one region's outage or
 * one account's timeouts leave the others served.
 * <p>
 * Regions: every request goes to the provider's region with its regional credentials, a live call included (Twilio
 * handles the call there, and only there are its credentials valid). Products Twilio serves only from US1 for the
 * region (see {@link TwilioRegion}) go to US1 with the provider's US1 credentials, or fail with
 * {@link Us1CredentialsRequired} without being sent.
 * <p>
 * Fetching by SID fails with {@link TwilioException#isNotFound()} when the SID does not exist; {@code find...} methods
 * return an empty Optional instead. Deletes of something already gone complete normally.
 */
@ApplicationScoped
// Created at start, not at its first use, so that its metrics read 0 from the start (TwilioMetrics).
@Startup
@Timeout(value = 30, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 3, delay = 250, jitter = 100, maxDuration = 60, durationUnit = ChronoUnit.SECONDS)
@RetryWhen(exception = TwilioClient.NeverProcessed.class)
@CustomBackoff(RetryAfterBackoff.class)
public class TwilioClient {

    /** Twilio's largest page: an account of 20,000 numbers is 20 requests. */
    static final int PAGE_SIZE = 1000;
    private static final List<String> CALL_UPDATE_STATUSES = List.of("canceled", "completed");
    private static final List<String> RECORDING_UPDATE_STATUSES = List.of("paused", "in-progress", "stopped");
    /**
     * The recording SID that names a call's active recording, whatever its own SID (the spec of the call Recordings
     * update: "Pass {@code Twilio.CURRENT} instead of recording sid to reference current active recording").
     */
    public static final String CURRENT_RECORDING = "Twilio.CURRENT";

    private final TwilioHttp http;
    private final TwilioGuards guards;

    @Inject
    public TwilioClient(Vertx vertx, ObjectMapper json, TwilioConfig config, MeterRegistry registry) {
        this(new TwilioMetrics(registry), vertx, json, config);
    }

    private TwilioClient(TwilioMetrics metrics, Vertx vertx, ObjectMapper json, TwilioConfig config) {
        this(TwilioGuards.of(config.client(), metrics), metrics, vertx, json, config);
    }

    private TwilioClient(TwilioGuards guards, TwilioMetrics metrics, Vertx vertx, ObjectMapper json,
            TwilioConfig config) {
        this(new TwilioHttp(TwilioHttp.perRegion(region -> TwilioHttp.webClient(vertx, config.client())), json,
                TwilioEndpoints.of(config.endpoints()), config.client().requestTimeout(), guards, metrics), guards);
    }

    TwilioClient(TwilioHttp http) {
        this(http, TwilioGuards.none());
    }

    private TwilioClient(TwilioHttp http, TwilioGuards guards) {
        this.http = http;
        this.guards = guards;
    }

    /** Requests of the account in flight to the region now; for tests. */
    int inFlight(TwilioRegion region, String accountSid) {
        return guards.inFlight(region, accountSid);
    }

    @PreDestroy
    void close() {
        http.close();
    }

    /** The retry predicate: only failures Twilio never acted on. An ambiguous create must never be retried. */
    public static final class NeverProcessed implements Predicate<Throwable> {
        @Override
        public boolean test(Throwable failure) {
            return failure instanceof TwilioException e && e.isRetryable();
        }
    }

    // --- Accounts ---------------------------------------------------------------------------------------------------

    public Uni<Account> fetchAccount(TwilioCredentials creds) {
        return getAccount(creds);
    }

    /**
     * Completes when the credentials work, fails with {@link TwilioException#isAuthenticationFailure()} when they do
     * not. A Standard API key cannot read the account, so a key is checked with a call any key may make.
     */
    public Uni<Void> verifyCredentials(TwilioCredentials creds) {
        if (creds.usesApiKey()) {
            var query = Form.empty().add("PageSize", 1);
            return http.get(creds, Product.API, account(creds) + "/IncomingPhoneNumbers.json", query)
                    .replaceWithVoid();
        }
        return getAccount(creds).replaceWithVoid();
    }

    // --- Incoming phone numbers -------------------------------------------------------------------------------------

    public Uni<List<IncomingNumber>> listIncomingNumbers(TwilioCredentials creds) {
        return http.list(creds, Product.API, account(creds) + "/IncomingPhoneNumbers.json",
                Form.empty().add("PageSize", PAGE_SIZE), "incoming_phone_numbers", Integer.MAX_VALUE)
                .map(items -> items.stream().map(TwilioMapper::incomingNumber).toList());
    }

    /**
     * One page of the account's numbers, {@value #PAGE_SIZE} at most: the first when {@code next} is null, else the
     * one a previous page named. Each page is one attempt, with its own timeout and retries, so that an account of
     * any size can be read; {@link IncomingNumberScan} walks them all.
     */
    public Uni<IncomingNumberPage> incomingNumbersPage(TwilioCredentials creds, String next) {
        return http.page(creds, Product.API, account(creds) + "/IncomingPhoneNumbers.json",
                Form.empty().add("PageSize", PAGE_SIZE), next, "incoming_phone_numbers")
                .map(page -> new IncomingNumberPage(page.items().stream().map(TwilioMapper::incomingNumber).toList(),
                        page.next()));
    }

    /** The number with exactly this E.164 form; Twilio's filter also matches partial numbers, so compare here. */
    public Uni<Optional<IncomingNumber>> findIncomingNumber(TwilioCredentials creds, String e164) {
        var query = Form.empty().add("PhoneNumber", e164).add("PageSize", PAGE_SIZE);
        return http.list(creds, Product.API, account(creds) + "/IncomingPhoneNumbers.json", query,
                "incoming_phone_numbers", Integer.MAX_VALUE)
                .map(items -> items.stream().map(TwilioMapper::incomingNumber)
                        .filter(number -> e164.equals(number.phoneNumber()))
                        .findFirst());
    }

    public Uni<IncomingNumber> fetchIncomingNumber(TwilioCredentials creds, String sid) {
        return http.get(creds, Product.API, incomingNumber(creds, sid), Form.empty())
                .map(TwilioMapper::incomingNumber);
    }

    /**
     * Sends only the fields that are set; {@link NumberConfiguration#CLEAR} removes one. Passing a configuration read
     * earlier restores it exactly.
     */
    public Uni<IncomingNumber> updateIncomingNumber(TwilioCredentials creds, String sid, NumberConfiguration config) {
        var form = Form.empty()
                .add("VoiceUrl", config.voiceUrl())
                .add("VoiceMethod", config.voiceMethod())
                .add("VoiceFallbackUrl", config.voiceFallbackUrl())
                .add("SmsUrl", config.smsUrl())
                .add("SmsMethod", config.smsMethod())
                .add("StatusCallback", config.statusCallback())
                .add("StatusCallbackMethod", config.statusCallbackMethod())
                .add("TrunkSid", config.trunkSid())
                .add("VoiceApplicationSid", config.voiceApplicationSid())
                .add("SmsApplicationSid", config.smsApplicationSid());
        return http.update(creds, Product.API, incomingNumber(creds, sid), form).map(TwilioMapper::incomingNumber);
    }

    // --- SIP trunking (Trunking v1) ---------------------------------------------------------------------------------

    /** {@code domainName}: {@code <unique>.pstn.twilio.com}. */
    public Uni<Trunk> createTrunk(TwilioCredentials creds, String friendlyName, String domainName) {
        var form = Form.empty().add("FriendlyName", friendlyName).add("DomainName", domainName);
        return http.create(creds, Product.TRUNKING, "/v1/Trunks", form).map(TwilioMapper::trunk);
    }

    public Uni<Trunk> fetchTrunk(TwilioCredentials creds, String trunkSid) {
        return http.get(creds, Product.TRUNKING, trunk(trunkSid), Form.empty()).map(TwilioMapper::trunk);
    }

    public Uni<Void> deleteTrunk(TwilioCredentials creds, String trunkSid) {
        return http.delete(creds, Product.TRUNKING, trunk(trunkSid));
    }

    public Uni<CredentialList> attachCredentialList(TwilioCredentials creds, String trunkSid,
            String credentialListSid) {
        var form = Form.empty().add("CredentialListSid", credentialListSid);
        return http.create(creds, Product.TRUNKING, trunk(trunkSid) + "/CredentialLists", form)
                .map(TwilioMapper::credentialList);
    }

    public Uni<List<CredentialList>> listTrunkCredentialLists(TwilioCredentials creds, String trunkSid) {
        return http.list(creds, Product.TRUNKING, trunk(trunkSid) + "/CredentialLists",
                Form.empty().add("PageSize", PAGE_SIZE), "credential_lists", Integer.MAX_VALUE)
                .map(items -> items.stream().map(TwilioMapper::credentialList).toList());
    }

    public Uni<OriginationUrl> createOriginationUrl(TwilioCredentials creds, String trunkSid, String friendlyName,
            String sipUrl, int priority, int weight, boolean enabled) {
        var form = Form.empty()
                .add("FriendlyName", friendlyName)
                .add("SipUrl", sipUrl)
                .add("Priority", priority)
                .add("Weight", weight)
                .add("Enabled", enabled);
        return http.create(creds, Product.TRUNKING, trunk(trunkSid) + "/OriginationUrls", form)
                .map(TwilioMapper::originationUrl);
    }

    // --- SIP credential lists (2010 API) ----------------------------------------------------------------------------

    public Uni<CredentialList> createCredentialList(TwilioCredentials creds, String friendlyName) {
        var form = Form.empty().add("FriendlyName", friendlyName);
        return http.create(creds, Product.API, account(creds) + "/SIP/CredentialLists.json", form)
                .map(TwilioMapper::credentialList);
    }

    public Uni<Void> deleteCredentialList(TwilioCredentials creds, String credentialListSid) {
        return http.delete(creds, Product.API,
                account(creds) + "/SIP/CredentialLists/" + segment(credentialListSid) + ".json");
    }

    /** Twilio requires a password of at least 12 characters with upper case, lower case and a digit. */
    public Uni<Credential> createCredential(TwilioCredentials creds, String credentialListSid, String username,
            String password) {
        var form = Form.empty().add("Username", username).add("Password", password);
        var path = account(creds) + "/SIP/CredentialLists/" + segment(credentialListSid) + "/Credentials.json";
        return http.create(creds, Product.API, path, form).map(TwilioMapper::credential);
    }

    // --- Calls ------------------------------------------------------------------------------------------------------

    /** Places a call. A failure with {@link TwilioException#isAmbiguous()} means it may exist: check, never resend. */
    public Uni<TwilioCall> createCall(TwilioCredentials creds, CallRequest call) {
        var form = Form.empty()
                .add("To", call.to())
                .add("From", call.from())
                .add("Url", call.url())
                .add("Method", call.method())
                .add("StatusCallback", call.statusCallback())
                .add("StatusCallbackMethod", call.statusCallbackMethod())
                .addEach("StatusCallbackEvent", call.statusCallbackEvents())
                .add("Record", call.record())
                .add("RecordingStatusCallback", call.recordingStatusCallback())
                .addEach("RecordingStatusCallbackEvent", call.recordingStatusCallbackEvents())
                .add("Timeout", call.timeoutSeconds())
                .add("MachineDetection", call.machineDetection())
                .add("AsyncAmd", call.machineDetection() == null ? null : "true")
                .add("AsyncAmdStatusCallback", call.asyncAmdStatusCallback())
                .add("AsyncAmdStatusCallbackMethod", call.asyncAmdStatusCallback() == null ? null : "POST");
        return http.create(creds, Product.API, account(creds) + "/Calls.json", form).map(TwilioMapper::call);
    }

    public Uni<TwilioCall> fetchCall(TwilioCredentials creds, String callSid) {
        return http.get(creds, Product.API, call(creds, callSid), Form.empty()).map(TwilioMapper::call);
    }

    public Uni<List<TwilioCall>> listCalls(TwilioCredentials creds, CallFilter filter) {
        var query = Form.empty()
                .add("To", filter.to())
                .add("From", filter.from())
                .add("Status", filter.status())
                .add("ParentCallSid", filter.parentCallSid())
                .add("PageSize", Math.min(filter.limit(), PAGE_SIZE));
        return http.list(creds, Product.API, account(creds) + "/Calls.json", query, "calls", filter.limit())
                .map(items -> items.stream().map(TwilioMapper::call).toList());
    }

    /** Ends a call: {@code canceled} for one not yet answered, {@code completed} for one in progress. */
    public Uni<TwilioCall> updateCall(TwilioCredentials creds, String callSid, String status) {
        if (!CALL_UPDATE_STATUSES.contains(status)) {
            return Uni.createFrom().failure(new IllegalArgumentException("a call can only be canceled or completed"));
        }
        return http.update(creds, Product.API, call(creds, callSid), Form.empty().add("Status", status))
                .map(TwilioMapper::call);
    }

    /** Has a live call run {@code twiml} in place of what it runs now (the call update's {@code Twiml}). */
    public Uni<TwilioCall> redirectCall(TwilioCredentials creds, String callSid, String twiml) {
        return http.update(creds, Product.API, call(creds, callSid), Form.empty().add("Twiml", twiml))
                .map(TwilioMapper::call);
    }

    /**
     * Dials a participant into the conference {@code conference}, a SID or the friendly name of a live conference or
     * of one to create (https://www.twilio.com/docs/voice/conference: a conference is created "by adding a
     * participant to a named Conference"; https://www.twilio.com/docs/api/errors/16003 names "conference sid or
     * friendly name"). A create: a failure with {@link TwilioException#isAmbiguous()} means the call may exist.
     */
    public Uni<TwilioParticipant> createParticipant(TwilioCredentials creds, String conference,
            ParticipantRequest participant) {
        var form = Form.empty()
                .add("From", participant.from())
                .add("To", participant.to())
                .add("Label", participant.label())
                .add("Timeout", participant.timeoutSeconds())
                .add("StatusCallback", participant.statusCallback())
                .add("StatusCallbackMethod", participant.statusCallback() == null ? null : "POST")
                .addEach("StatusCallbackEvent", participant.statusCallbackEvents())
                .add("StartConferenceOnEnter", participant.startConferenceOnEnter())
                .add("EndConferenceOnExit", participant.endConferenceOnExit())
                .add("Beep", "false")
                .add("ConferenceStatusCallback", participant.conferenceStatusCallback())
                .add("ConferenceStatusCallbackMethod", participant.conferenceStatusCallback() == null ? null : "POST")
                .addEach("ConferenceStatusCallbackEvent", participant.conferenceStatusCallbackEvents());
        var path = account(creds) + "/Conferences/" + segment(conference) + "/Participants.json";
        return http.create(creds, Product.API, path, form).map(TwilioMapper::participant);
    }

    /**
     * Puts a participant on hold ({@code hold} true, with {@code holdUrl} played to it) or back, or has
     * {@code announceUrl}'s TwiML said to that participant alone; null fields are not sent.
     */
    public Uni<TwilioParticipant> updateParticipant(TwilioCredentials creds, String conferenceSid, String callSid,
            Boolean hold, String holdUrl, String announceUrl) {
        var form = Form.empty()
                .add("Hold", hold)
                .add("HoldUrl", holdUrl)
                .add("HoldMethod", holdUrl == null ? null : "GET")
                .add("AnnounceUrl", announceUrl)
                .add("AnnounceMethod", announceUrl == null ? null : "POST");
        var path = account(creds) + "/Conferences/" + segment(conferenceSid) + "/Participants/" + segment(callSid)
                + ".json";
        return http.update(creds, Product.API, path, form).map(TwilioMapper::participant);
    }

    /**
     * Pauses, resumes or stops a call's recording: {@code recordingSid} {@link #CURRENT_RECORDING} names the one
     * active now. {@code pauseBehavior} ({@code skip} or {@code silence}) only goes with {@code paused}.
     */
    public Uni<TwilioRecording> updateCallRecording(TwilioCredentials creds, String callSid, String recordingSid,
            String status, String pauseBehavior) {
        if (!RECORDING_UPDATE_STATUSES.contains(status)) {
            return Uni.createFrom().failure(new IllegalArgumentException(
                    "a recording can only be paused, in-progress or stopped"));
        }
        var form = Form.empty().add("Status", status).add("PauseBehavior", "paused".equals(status) ? pauseBehavior
                : null);
        var path = account(creds) + "/Calls/" + segment(callSid) + "/Recordings/" + segment(recordingSid) + ".json";
        return http.update(creds, Product.API, path, form).map(TwilioMapper::recording);
    }

    // --- Messages (from US1 for AU1 accounts, with their US1 credentials) ----------------------------------------

    /** Sends a message. A failure with {@link TwilioException#isAmbiguous()} means it may have been sent. */
    public Uni<TwilioMessage> createMessage(TwilioCredentials creds, MessageRequest message) {
        var form = Form.empty()
                .add("To", message.to())
                .add("From", message.from())
                .add("MessagingServiceSid", message.messagingServiceSid())
                .add("Body", message.body())
                .add("StatusCallback", message.statusCallback());
        return servedFrom(Product.MESSAGING, creds, "sending a message")
                .chain(target -> http.create(target, Product.MESSAGING, account(target) + "/Messages.json", form))
                .map(TwilioMapper::message);
    }

    public Uni<TwilioMessage> fetchMessage(TwilioCredentials creds, String messageSid) {
        return servedFrom(Product.MESSAGING, creds, "reading a message")
                .chain(target -> http.get(target, Product.MESSAGING,
                        account(target) + "/Messages/" + segment(messageSid) + ".json", Form.empty()))
                .map(TwilioMapper::message);
    }

    // --- Lookups v2 -------------------------------------------------------------------------------------------------

    public Uni<LookupResult> lookup(TwilioCredentials creds, String e164) {
        return servedFrom(Product.LOOKUPS, creds, "a lookup")
                .chain(target -> http.get(target, Product.LOOKUPS, "/v2/PhoneNumbers/" + segment(e164),
                        Form.empty()))
                .map(TwilioMapper::lookup);
    }

    /**
     * The credentials for the region that serves the product: the provider's own, or its US1 credentials where
     * Twilio serves the product only from US1 (regional credentials are refused there).
     */
    private static Uni<TwilioCredentials> servedFrom(Product product, TwilioCredentials creds, String what) {
        if (TwilioEndpoints.servedFrom(product, creds.region()) == creds.region()) {
            return Uni.createFrom().item(creds);
        }
        return creds.us1Credentials().map(us1 -> Uni.createFrom().item(us1))
                .orElseGet(() -> Uni.createFrom().failure(new Us1CredentialsRequired(creds.region(), what)));
    }

    // --- Paths ------------------------------------------------------------------------------------------------------

    /** Not {@link #fetchAccount}: a guarded method calling another would nest retries and breakers. */
    private Uni<Account> getAccount(TwilioCredentials creds) {
        return http.get(creds, Product.API, account(creds) + ".json", Form.empty()).map(TwilioMapper::account);
    }

    private static String account(TwilioCredentials creds) {
        return "/2010-04-01/Accounts/" + segment(creds.accountSid());
    }

    private static String incomingNumber(TwilioCredentials creds, String sid) {
        return account(creds) + "/IncomingPhoneNumbers/" + segment(sid) + ".json";
    }

    private static String call(TwilioCredentials creds, String sid) {
        return account(creds) + "/Calls/" + segment(sid) + ".json";
    }

    private static String trunk(String sid) {
        return "/v1/Trunks/" + segment(sid);
    }
}
