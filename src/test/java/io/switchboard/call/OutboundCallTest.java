package io.switchboard.call;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.CallRequest;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboundCallTest {

    private static final String CREATE_CALL = "/2010-04-01/Accounts/{AccountSid}/Calls.json";

    @Inject
    TwilioSimulator simulator;

    @Inject
    TwilioClient twilio;

    @Inject
    Pool pool;

    @Inject
    WebhookUrls urls;

    record Setup(Connected c, String agentId) {
    }

    @Test
    void aBatchIsPlacedOnceEachAtOneCallPerSecondAndCompleted() {
        var s = setup();
        var targets = targets(3);
        var body = Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", targets))
                .post("/v1/calls")
                .then().statusCode(202)
                .body("calls", hasSize(3))
                .body("calls.to", equalTo(targets))
                .body("calls.status", equalTo(List.of("queued", "queued", "queued")))
                .extract().jsonPath();
        String batchId = body.getString("batchId");

        Await.until(Duration.ofSeconds(20), () -> statuses(s.c(), batchId).stream().allMatch("completed"::equals),
                "every call of the batch to complete");

        var creates = creates(s.c().account().accountSid());
        assertThat(creates).hasSize(3).allMatch(r -> r.status() == 201);
        assertThat(creates.stream().map(r -> r.params().get("To").get(0)).toList())
                .containsExactlyElementsOf(targets);
        var first = creates.get(0).params();
        String callId = body.getString("calls[0].id");
        assertThat(first.get("Url").get(0)).isEqualTo(urls.voiceOutbound(callId))
                .endsWith("/twilio/voice/outbound/" + callId + "#" + urls.overrides());
        assertThat(first.get("StatusCallbackEvent")).containsExactly("initiated", "ringing", "answered", "completed");
        assertThat(first.get("StatusCallback").get(0)).isEqualTo(urls.voiceStatus(callId))
                .endsWith("/twilio/voice/status?callId=" + callId + "#" + urls.overrides());
        // 1 call per second per account (the default): the simulator saw the creates at least ~1 s apart. The pace
        // is kept at claim time, so a little jitter between claim and request is allowed.
        for (int i = 1; i < creates.size(); i++) {
            assertThat(Duration.between(creates.get(i - 1).at(), creates.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        // Each row carries the sid of the one call Twilio placed for it.
        var rows = Api.as(s.c().org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200).extract()
                .jsonPath();
        for (int i = 0; i < 3; i++) {
            String sid = rows.getString("items[" + i + "].sid");
            SimulatedCall call = simulator.call(sid).orElseThrow();
            assertThat(call.to()).isEqualTo(rows.getString("items[" + i + "].to"));
            assertThat(rows.getString("items[" + i + "].direction")).isEqualTo("outbound");
            assertThat(rows.getString("items[" + i + "].agentId")).isEqualTo(s.agentId());
        }
    }

    @Test
    void aCallTwilioRefusesCarriesTwiliosMessage() {
        var s = setup();
        // Outside the account's geographic permissions: Twilio refuses the create with 21215 and its message.
        String batchId = create(s, List.of("+15005550003"));

        Await.until(Duration.ofSeconds(10), () -> statuses(s.c(), batchId).equals(List.of("failed")),
                "the refused call to fail");
        var call = Api.as(s.c().org()).get("/v1/calls?batchId=" + batchId).then().statusCode(200).extract()
                .jsonPath().setRootPath("items[0]");
        assertThat(call.getInt("errorCode")).isEqualTo(21215);
        assertThat(call.getString("errorMessage"))
                .isEqualTo("Account not authorized to call this number: geographic permissions");
        assertThat(creates(s.c().account().accountSid())).extracting(Recorded.Request::status).containsExactly(400);
    }

    @Test
    void aCreateRefusedWith429IsPlacedOnceLater() {
        var s = setup();
        // More 429s than the client retries on its own (1 + 3): the dispatcher backs off and claims it again.
        simulator.failRoute("POST", CREATE_CALL, 429, 20429, 5);
        String batchId = create(s, targets(1));

        Await.until(Duration.ofSeconds(10), () -> sids(s.c(), batchId).stream().allMatch(sid -> sid != null),
                "the call to be placed");
        var creates = creates(s.c().account().accountSid());
        assertThat(creates).extracting(Recorded.Request::status).containsExactly(429, 429, 429, 429, 429, 201);
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(s.c().account().accountSid()))
                .hasSize(1);
    }

    @Test
    void anAmbiguousCreateIsAdoptedNeverSentTwice() throws InterruptedException {
        var s = setup();
        Faults before = simulator.faults();
        // The call exists at once, but the answer comes after the client's 2 s timeout: ambiguous.
        simulator.setFaults(before.withCreateResponseDelay(Duration.ofSeconds(3)));
        String batchId;
        try {
            batchId = create(s, targets(1));
            Await.until(Duration.ofSeconds(15), () -> sids(s.c(), batchId).get(0) != null, "the call to be adopted");
        } finally {
            simulator.setFaults(before);
        }
        var placed = simulator.calls().stream()
                .filter(c -> c.accountSid().equals(s.c().account().accountSid())).toList();
        assertThat(placed).hasSize(1);
        assertThat(sids(s.c(), batchId)).containsExactly(placed.get(0).sid());
        // Past the grace period and a few rechecks, there is still just the one create.
        Thread.sleep(1_000);
        assertThat(creates(s.c().account().accountSid())).hasSize(1);
        Await.until(Duration.ofSeconds(15), () -> statuses(s.c(), batchId).get(0).equals("completed"),
                "the adopted call to complete through its callbacks");
    }

    @Test
    void anAmbiguousCreateIsFoundByListingTheAccountsCalls() {
        var s = setup();
        String batchId = createFoundOnlyByListing(s, targets(1));
        String account = s.c().account().accountSid();
        var placed = simulator.calls().stream().filter(c -> c.accountSid().equals(account)).toList();
        assertThat(placed).hasSize(1);
        assertThat(sids(s.c(), batchId)).containsExactly(placed.get(0).sid());
        assertThat(simulator.callbacks(placed.get(0).sid())).isEmpty();
        assertThat(simulator.requests()).anyMatch(r -> r.method().equals("GET") && r.route().endsWith("/Calls.json")
                && account.equals(r.accountSid()));
        assertThat(creates(account)).hasSize(1);
    }

    /** A call placed earlier between the same two numbers (by hand, say) is not the ambiguous create's. */
    @Test
    void anEarlierCallBetweenTheSameNumbersIsNotAdopted() throws InterruptedException {
        var s = setup();
        var account = s.c().account();
        String to = SimAccount.randomNumber();
        var creds = TwilioCredentials.withAuthToken(account.accountSid(), account.authToken(), TwilioRegion.US1);
        String earlier = twilio.createCall(creds, CallRequest.of(to, s.c().number(0),
                urls.voiceOutbound(UUID.randomUUID().toString()))).await().atMost(Duration.ofSeconds(5)).sid();
        // Twilio dates its calls to the second.
        Thread.sleep(1_100);
        // The listing shows both calls.
        String batchId = createFoundOnlyByListing(s, List.of(to));
        var placed = simulator.calls().stream().filter(c -> c.accountSid().equals(account.accountSid()))
                .map(SimulatedCall::sid).toList();
        assertThat(placed).hasSize(2).contains(earlier);
        assertThat(sids(s.c(), batchId).get(0)).isNotEqualTo(earlier).isIn(placed);
        assertThat(creates(account.accountSid())).hasSize(2);
    }

    @Test
    void anAmbiguousCreateThatDidNotHappenIsSentOnceMoreAfterTheGracePeriod() {
        var s = setup();
        double claims = metric("switchboard_dispatch_claims_total{kind=\"call\"}");
        double ambiguous = metric("switchboard_dispatch_ambiguous_total{kind=\"call\"}");
        double sentAgain = metric("switchboard_reconcile_outcomes_total{kind=\"call\",outcome=\"sent_again\"}");
        // A 500 before anything was created: ambiguous to the service, absent in Twilio.
        simulator.failRoute("POST", CREATE_CALL, 500, 20500, 1);
        String batchId = create(s, targets(1));

        Await.until(Duration.ofSeconds(15), () -> sids(s.c(), batchId).get(0) != null, "the call to be placed");
        assertThat(creates(s.c().account().accountSid())).extracting(Recorded.Request::status)
                .containsExactly(500, 201);
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(s.c().account().accountSid()))
                .hasSize(1);
        // Claimed, ambiguous, checked (not found within the grace period), sent again, claimed again. The counters are
        // the application's: rows other tests left can be dispatched meanwhile, so they move by at least this much.
        assertThat(metric("switchboard_dispatch_claims_total{kind=\"call\"}")).isGreaterThanOrEqualTo(claims + 2);
        assertThat(metric("switchboard_dispatch_ambiguous_total{kind=\"call\"}")).isGreaterThanOrEqualTo(ambiguous + 1);
        assertThat(metric("switchboard_reconcile_outcomes_total{kind=\"call\",outcome=\"sent_again\"}"))
                .isGreaterThanOrEqualTo(sentAgain + 1);
    }

    /** A series of /q/metrics, which is there from the start (reads 0 before its first event). */
    private static double metric(String series) {
        var line = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)")
                .matcher(given().get("/q/metrics").then().statusCode(200).extract()
                        .asString());
        assertThat(line.find()).as(series).isTrue();
        return Double.parseDouble(line.group(1));
    }

    @Test
    void aClaimWhoseReplicaDiedIsReconciledNotPlacedAgain() {
        var s = setup();
        String numberId = s.c().importNumber(1, null);
        String to = SimAccount.randomNumber();
        var account = s.c().account();
        // The replica sent the create and died before storing the answer: the call exists, the row is still claimed.
        var creds = TwilioCredentials.withAuthToken(account.accountSid(), account.authToken(), TwilioRegion.US1);
        UUID callId = UUID.randomUUID();
        var request = CallRequest.of(to, s.c().number(1), urls.voiceOutbound(callId.toString()));
        String sid = twilio.createCall(creds, request).await().atMost(Duration.ofSeconds(5)).sid();
        pool.preparedQuery("""
                insert into call (id, organization_id, direction, from_number, to_number, agent_id, phone_number_id,
                                  status, created_at, updated_at, account_sid, provider_id, dispatch_state,
                                  next_attempt_at, claimed_until, attempts)
                values ($1, $2, 'outbound', $3, $4, $5, $6, 'queued', now(), now(), $7, $8, 'placing', now(),
                        now() - interval '1 second', 1)""")
                .execute(Tuple.from(new Object[] {
                    callId, UUID.fromString(s.c().org().id()), s.c().number(1), to, UUID.fromString(s.agentId()),
                    UUID.fromString(numberId), account.accountSid(), UUID.fromString(s.c().providerId())
                })).await().atMost(Duration.ofSeconds(5));

        Await.until(Duration.ofSeconds(10), () -> sid.equals(Api.as(s.c().org()).get("/v1/calls/" + callId)
                .then().statusCode(200).extract().path("sid")), "the row to adopt the call");
        assertThat(creates(account.accountSid())).hasSize(1);
    }

    @Test
    void cancelingABatchCancelsOnlyTheCallsNotYetPlaced() throws InterruptedException {
        var s = setup();
        String batchId = create(s, targets(4));
        Await.until(Duration.ofSeconds(10), () -> sids(s.c(), batchId).get(0) != null, "the first call placed");

        var canceled = Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/cancel")
                .then().statusCode(200).body("batchId", equalTo(batchId)).extract().jsonPath().getLong("canceled");

        Thread.sleep(2_500);
        var sids = sids(s.c(), batchId);
        var statuses = statuses(s.c(), batchId);
        long placed = sids.stream().filter(sid -> sid != null).count();
        assertThat(canceled).isGreaterThanOrEqualTo(1);
        assertThat(placed + canceled).isEqualTo(4);
        assertThat(statuses.stream().filter("canceled"::equals).count()).isEqualTo(canceled);
        assertThat(creates(s.c().account().accountSid())).hasSize((int) placed);
        // Canceling again changes nothing.
        Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/cancel")
                .then().statusCode(200).body("canceled", equalTo(0));
    }

    @Test
    void tenThousandTargetsAreStoredInOneRequest() {
        var s = setup();
        var targets = IntStream.range(0, CallBatchRequest.MAX_TARGETS).mapToObj(i -> "+1415" + (5000000 + i)).toList();
        long started = System.nanoTime();
        String batchId = Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", targets))
                .post("/v1/calls")
                .then().statusCode(202).body("calls", hasSize(CallBatchRequest.MAX_TARGETS))
                .extract().path("batchId");
        // Stop it at once: at one call per second the batch would outlive the test run.
        long canceled = Api.as(s.c().org()).post("/v1/calls/batches/" + batchId + "/cancel")
                .then().statusCode(200).extract().jsonPath().getLong("canceled");
        // What went out before the cancel landed is what the pace allowed meanwhile: one call a second, claimed up to
        // claim-ahead (1 s) early. A fixed count failed on a loaded machine, where the two requests take seconds.
        double seconds = (System.nanoTime() - started) / 1e9;
        assertThat(CallBatchRequest.MAX_TARGETS - canceled).as("calls placed in %.1f s", seconds)
                .isLessThanOrEqualTo((long) Math.ceil(seconds) + 2);
        Await.until(Duration.ofSeconds(5),
                () -> creates(s.c().account().accountSid()).size() == CallBatchRequest.MAX_TARGETS - canceled,
                "the calls claimed before the cancel to be sent");
    }

    @Test
    void invalidRequestsAreRejectedNamingEachField() {
        var s = setup();
        Api.as(s.c().org()).body(Map.of("targetNumbers", List.of("+14155550123", "4155550123", "+1415555012x"),
                "from", "nope"))
                .post("/v1/calls")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details.field", hasItems("agentId", "targetNumbers[1]", "targetNumbers[2]", "from"));
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of()))
                .post("/v1/calls")
                .then().statusCode(400).body("details.field", hasItems("targetNumbers"));
        var tooMany = IntStream.range(0, 10_001).mapToObj(i -> "+14155550123").toList();
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", tooMany))
                .post("/v1/calls")
                .then().statusCode(400).body("details.field", hasItems("targetNumbers"));
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of("+14155550123"),
                "from", "+14155550999"))
                .post("/v1/calls")
                .then().statusCode(422).body("error", equalTo("from_not_imported"));
        String idle = s.c().createAgent(agent());
        Api.as(s.c().org()).body(Map.of("agentId", idle, "targetNumbers", List.of("+14155550123")))
                .post("/v1/calls")
                .then().statusCode(422).body("error", equalTo("no_caller_id"));
    }

    @Test
    void anotherOrganizationsAgentAndBatchAreNotFound() {
        var s = setup();
        String batchId = create(s, targets(1));
        var other = Connected.create(simulator, 1);
        Api.as(other.org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of("+14155550123")))
                .post("/v1/calls")
                .then().statusCode(404);
        Api.as(other.org()).post("/v1/calls/batches/" + batchId + "/cancel").then().statusCode(404);
        Api.as(s.c().org()).post("/v1/calls/batches/" + UUID.randomUUID() + "/cancel").then().statusCode(404);
        // The other organization's number is not a caller id of this one.
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of("+14155550123"),
                "from", other.number(0)))
                .post("/v1/calls")
                .then().statusCode(422);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Setup setup() {
        var c = Connected.create(simulator, 2);
        String agentId = c.createAgent(agent());
        c.importNumber(0, agentId);
        return new Setup(c, agentId);
    }

    private static Map<String, Object> agent() {
        return Map.of("name", "Caller", "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"));
    }

    private static List<String> targets(int n) {
        return IntStream.range(0, n).mapToObj(i -> SimAccount.randomNumber()).toList();
    }

    private static String create(Setup s, List<String> targets) {
        return Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", targets))
                .post("/v1/calls")
                .then().statusCode(202).extract().path("batchId");
    }

    /**
     * Creates a batch whose create is ambiguous (the answer comes after the client's timeout) and whose callbacks come
     * late, so only listing the account's calls (To and From the same numbers) can find the call in time.
     */
    private String createFoundOnlyByListing(Setup s, List<String> targets) {
        Faults faults = simulator.faults();
        Timing timing = simulator.timing();
        simulator.setFaults(faults.withCreateResponseDelay(Duration.ofSeconds(3)));
        simulator.setTiming(new Timing(Duration.ofSeconds(4), timing.talkTime()));
        try {
            String batchId = create(s, targets);
            Await.until(Duration.ofSeconds(4), () -> sids(s.c(), batchId).get(0) != null, "the call to be adopted");
            return batchId;
        } finally {
            simulator.setFaults(faults);
            simulator.setTiming(timing);
        }
    }

    private List<Recorded.Request> creates(String accountSid) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && accountSid.equals(r.accountSid()))
                .sorted(Comparator.comparing(Recorded.Request::at))
                .toList();
    }

    private static List<String> statuses(Connected c, String batchId) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.status");
    }

    private static List<String> sids(Connected c, String batchId) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.sid");
    }
}
