package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.arc.Arc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import io.switchboard.webhook.WebhookKeys;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cold transfers of a live inbound call, end to end against the simulator: the caller's leg redirected to a
 * {@code <Dial>} to the target, the outcome recorded on the call from the dial's action and the target leg's status
 * callbacks, the caller back with the agent (or told goodbye) when the target does not answer, nothing left live
 * whoever hangs up first, and every refusal.
 */
@QuarkusTest
class CallTransferTest {

    private static final String CALLER = "+15105550123";
    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 900));

    @Inject
    TwilioSimulator simulator;
    @Inject
    RoutingTable routing;
    @Inject
    WebhookUrls urls;
    @Inject
    CallTwiml callTwiml;

    private Timing timing;

    /** Calls that talk until a party hangs up, well past any test. */
    @BeforeEach
    void longCalls() {
        timing = simulator.timing();
        simulator.setTiming(new Timing(Duration.ofMillis(50), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.setTiming(timing);
    }

    // --- cold transfer ----------------------------------------------------------------------------------------------

    @Test
    void aColdTransferDialsTheAgentsTransferNumberWithTheCallersNumber() {
        var s = setUp(true, true);
        var live = ring(s);
        JsonPath answer = transfer(s, live, Map.of("mode", "cold")).then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("transferredTo")).isEqualTo(s.transferNumber);
        assertThat(answer.getString("transferStatus")).isEqualTo("dialing");

        assertThat(twimlOf(live.sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER, live.id)) + "\" callerId=\""
                + CALLER + "\" method=\"POST\"><Number statusCallback=\""
                + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, live.id))
                + "\" statusCallbackEvent=\"answered completed\" statusCallbackMethod=\"POST\">" + s.transferNumber
                + "</Number></Dial></Response>");
        SimulatedCall leg = awaitLeg(live.sid, "in-progress");
        assertThat(leg.from()).isEqualTo(CALLER);
        assertThat(leg.to()).isEqualTo(s.transferNumber);
        awaitTransfer(s, live, "connected");
        // The target's leg never moves the call's own status, which is the caller's.
        assertThat(call(s, live).getString("status")).isEqualTo("ringing");

        // The target hangs up: the dial's action answers the caller's leg with a hang-up, and nothing is left.
        simulator.hangUp(leg.sid());
        awaitNothingLive(live.sid);
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(call(s, live).getString("status")),
                "the caller's leg to end");
        JsonPath ended = call(s, live);
        assertThat(ended.getString("transferStatus")).isEqualTo("connected");
        assertThat(ended.getString("transferReason")).isNull();
        var events = Api.as(s.org).get("/v1/calls/" + live.id + "/events").then().statusCode(200).extract()
                .jsonPath();
        assertThat(events.getList("items.findAll { it.type == 'transfer' }.status", String.class))
                .containsExactly("dialing", "target-in-progress", "target-completed", "connected");
    }

    @Test
    void theTransferCallActionTransfersTheCallItsSidNames() {
        var s = setUp(true, true);
        var live = ring(s);
        var other = setUp(true, true);
        var refused = Api.as(other.org).body(Map.of("action", "transferCall", "arguments", Map.of("callSid", live.sid)))
                .post("/v1/actions").then().statusCode(200).extract().jsonPath();
        assertThat(refused.getString("error.code")).isEqualTo("not_found");
        var warm = Api.as(s.org).body(Map.of("action", "transferCall", "arguments",
                Map.of("callSid", live.sid, "mode", "hot"))).post("/v1/actions").then().statusCode(200).extract()
                .jsonPath();
        assertThat(warm.getString("error.code")).isEqualTo("invalid_arguments");
        assertThat(warm.getString("error.message")).startsWith("mode");

        var answer = Api.as(s.org).body(Map.of("action", "transferCall", "arguments", Map.of("callSid", live.sid)))
                .post("/v1/actions").then().statusCode(200).extract().jsonPath();
        assertThat(answer.getString("action")).isEqualTo("transferCall");
        assertThat(answer.getString("result.transferredTo")).isEqualTo(s.transferNumber);
        assertThat(answer.getString("result.transferStatus")).isEqualTo("dialing");
        awaitLeg(live.sid, "in-progress");
        awaitTransfer(s, live, "connected");
        hangUpCaller(live);
    }

    @Test
    void anAnnouncementIsSaidToTheTargetBeforeItIsConnected() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold", "announcement", "Ada <Lovelace> asks about order 12 & 13"))
                .then().statusCode(200);
        assertThat(twimlOf(live.sid)).last().asString().contains("<Number method=\"POST\" statusCallback=")
                .contains(" url=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER_ANNOUNCEMENT, live.id)) + "\"");
        SimulatedCall leg = awaitLeg(live.sid, "in-progress");
        Await.until(Duration.ofSeconds(5), () -> !twimlOf(leg.sid()).isEmpty(), "the announcement asked for");
        assertThat(twimlOf(leg.sid())).singleElement().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Response><Say>Ada &lt;Lovelace&gt; asks about order 12 &amp; 13</Say></Response>");
        hangUpCaller(live);
    }

    @Test
    void theSwitchboardNumberIsTheCallerIdWhenAskedAndASipTargetIsDialedAsSip() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold", "callerId", "number", "to", "sip:desk@pbx.example.com"))
                .then().statusCode(200).body("transferredTo", equalTo("sip:desk@pbx.example.com"));
        assertThat(twimlOf(live.sid).get(twimlOf(live.sid).size() - 1))
                .contains("callerId=\"" + s.number + "\"").contains("<Sip ")
                .contains(">sip:desk@pbx.example.com</Sip>");
        SimulatedCall leg = awaitLeg(live.sid, "in-progress");
        assertThat(leg.from()).isEqualTo(s.number);
        hangUpCaller(live);
    }

    @Test
    void aBusyTargetReturnsTheCallerToTheAgentAndAnotherTransferMayFollow() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold", "to", busy())).then().statusCode(200);
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("busy");
        // The agent's own TwiML again, as the call first ran it.
        Await.until(Duration.ofSeconds(5), () -> twimlOf(live.sid).size() == 3, "the dial action answered");
        assertThat(twimlOf(live.sid).get(2)).isEqualTo(twimlOf(live.sid).get(0));
        assertThat(simulator.call(live.sid).orElseThrow().status()).isEqualTo("in-progress");

        // The failed transfer is over: a new one is placed.
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(200).body("transferStatus", equalTo("dialing"));
        awaitLeg(live.sid, "in-progress");
        hangUpCaller(live);
    }

    @Test
    void anUnansweredTargetEndsTheCallWhenAskedTo() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold", "to", noAnswer(), "onFailure", "hangup")).then().statusCode(200);
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("no-answer");
        awaitNothingLive(live.sid);
        assertThat(twimlOf(live.sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>"
                + TransferTwiml.FAILED_MESSAGE + "</Say><Hangup/></Response>");
    }

    @Test
    void aTargetTwilioRefusesFailsTheTransferWithoutRinging() {
        var s = setUp(true, true);
        var live = ring(s);
        // +1 500 555 0003: outside the account's geographic permissions.
        transfer(s, live, Map.of("mode", "cold", "to", "+15005550003")).then().statusCode(200);
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("failed");
        assertThat(simulator.dialLegs(live.sid)).singleElement().extracting(SimulatedCall::status)
                .isEqualTo("failed");
        hangUpCaller(live);
    }

    @Test
    void theCallerHangingUpWhileTheTargetRingsLeavesNothing() {
        simulator.setTiming(new Timing(Duration.ofMillis(400), Duration.ofSeconds(60)));
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(200);
        awaitLeg(live.sid, "ringing");
        simulator.hangUp(live.sid);
        awaitNothingLive(live.sid);
        assertThat(simulator.dialLegs(live.sid)).singleElement().extracting(SimulatedCall::status)
                .isEqualTo("canceled");
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("canceled");
    }

    @Test
    void theCallerHangingUpWhileTalkingToTheTargetEndsTheTargetToo() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(200);
        awaitLeg(live.sid, "in-progress");
        simulator.hangUp(live.sid);
        awaitNothingLive(live.sid);
        assertThat(simulator.dialLegs(live.sid)).singleElement().extracting(SimulatedCall::status)
                .isEqualTo("completed");
        awaitTransfer(s, live, "connected");
    }

    // --- one transfer at a time -------------------------------------------------------------------------------------

    @Test
    void twoConcurrentTransfersArePlacedOnce() throws Exception {
        var s = setUp(true, true);
        var live = ring(s);
        var statuses = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < 2; i++) {
            statuses.add(CompletableFuture.supplyAsync(() -> transfer(s, live, Map.of("mode", "cold")).statusCode()));
        }
        var answered = new ArrayList<Integer>();
        for (var status : statuses) {
            answered.add(status.get());
        }
        assertThat(answered).containsExactlyInAnyOrder(200, 409);
        assertThat(redirects(live.sid)).isEqualTo(1);
        // And once more while the first is still under way.
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(409).body("error", equalTo("transfer_in_progress"));
        assertThat(redirects(live.sid)).isEqualTo(1);
        hangUpCaller(live);
    }

    @Test
    void aRequestWaitsForTheControlLeaseAndGivesUpWithin409() {
        var s = setUp(true, true);
        var live = ring(s);
        var leases = Arc.container().instance(CallControlRepository.class).get();
        UUID holder = UUID.randomUUID();
        // Another replica holds the call, for longer than a request waits.
        assertThat(leases.take(UUID.fromString(s.org.id()), UUID.fromString(live.id), holder, Duration.ofSeconds(30))
                .await().atMost(Duration.ofSeconds(5))).isEqualTo(CallControlRepository.Take.TAKEN);
        long started = System.nanoTime();
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(409).body("error", equalTo("call_busy"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(CallControl.WAIT,
                CallControl.WAIT.plusSeconds(5));
        assertThat(redirects(live.sid)).isZero();
        leases.release(UUID.fromString(live.id), holder).await().atMost(Duration.ofSeconds(5));
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(200);
        hangUpCaller(live);
    }

    // --- regions ----------------------------------------------------------------------------------------------------

    @Test
    void theRedirectGoesToTheRegionThatHandlesTheCallWithItsCredentials() {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1).alsoIn(simulator, SimRegion.IE1);
        var request = new HashMap<String, Object>(account.providerRequest("Acme IE"));
        request.put("region", "ie1");
        request.put("enableTransfers", true);
        String providerId = Api.as(org).body(request).post("/v1/providers").then().statusCode(201).extract()
                .path("id");
        var keys = Arc.container().instance(WebhookKeys.class).get();
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId)), "the signing keys");
        var s = new Setup(org, account, account.numbers().get(0), SimAccount.randomNumber());
        s.agentId = agent(s, s.transferNumber);
        Api.as(org).body(Map.of("number", s.number, "providerId", providerId, "agentId", s.agentId))
                .post("/v1/phone-numbers").then().statusCode(201);
        awaitRouted(s);
        String sid = simulator.deliverInboundCall(s.number, CALLER, SimRegion.IE1).await()
                .atMost(Duration.ofSeconds(10)).sid();
        var live = new Live(awaitRow(s, sid), sid);
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(200);
        var redirect = simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/Calls/" + sid + ".json")).toList();
        assertThat(redirect).singleElement().satisfies(r -> {
            assertThat(r.region()).isEqualTo("ie1");
            assertThat(r.status()).isEqualTo(200);
        });
        awaitLeg(sid, "in-progress");
        hangUpCaller(live);
    }

    // --- refusals ---------------------------------------------------------------------------------------------------

    @Test
    void badRequestsAre400NamingTheField() {
        var s = setUp(true, true);
        var live = ring(s);
        var cases = List.of(
                Map.of(), "mode",
                Map.of("mode", "hot"), "mode",
                Map.of("mode", "cold", "to", "5551234"), "to",
                Map.of("mode", "cold", "to", "sip:"), "to",
                Map.of("mode", "cold", "callerId", "mine"), "callerId",
                Map.of("mode", "cold", "onFailure", "retry"), "onFailure",
                Map.of("mode", "cold", "announcement", " "), "announcement");
        for (int i = 0; i < cases.size(); i += 2) {
            transfer(s, live, (Map<?, ?>) cases.get(i)).then().statusCode(400).body("details.field",
                    hasItems(cases.get(i + 1)));
        }
        Api.as(s.org).contentType("application/json").post("/v1/calls/" + live.id + "/transfer").then()
                .statusCode(400);
        assertThat(redirects(live.sid)).isZero();
        hangUpCaller(live);
    }

    @Test
    void withoutATargetOrATransferNumberTheTargetIsRequired() {
        var s = setUp(true, false);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(400).body("details.field", hasItems("to"));
        hangUpCaller(live);
    }

    @Test
    void aProviderWithTransfersOffRefusesWith422() {
        var s = setUp(false, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(422).body("error", equalTo("transfers_disabled"));
        assertThat(redirects(live.sid)).isZero();
        assertThat(call(s, live).getString("transferStatus")).isNull();
        hangUpCaller(live);
    }

    @Test
    void anEndedCallIs409AndAnotherOrganizationsCall404() {
        var s = setUp(true, true);
        var live = ring(s);
        hangUpCaller(live);
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(call(s, live).getString("status")), "ended");
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(409).body("error", equalTo("call_not_in_progress"));

        var other = Api.newOrganization();
        Api.as(other).body(Map.of("mode", "cold")).post("/v1/calls/" + live.id + "/transfer").then().statusCode(404);
        Api.as(s.org).body(Map.of("mode", "cold")).post("/v1/calls/" + UUID.randomUUID() + "/transfer").then()
                .statusCode(404);
        assertThat(redirects(live.sid)).isZero();
    }

    @Test
    void aCallTwilioNoLongerRunsIs409AndTheTransferFailed() {
        var s = setUp(true, true);
        var live = ring(s);
        // The caller hung up a moment ago: Twilio has ended the leg before its completed callback reached us.
        simulator.hangUp(live.sid);
        Await.until(Duration.ofSeconds(5), () -> !"in-progress".equals(simulator.call(live.sid).orElseThrow()
                .status()), "the leg to end in the simulator");
        // Whether the row still reads live (then Twilio refuses the redirect, 21220) or has ended already.
        transfer(s, live, Map.of("mode", "cold")).then().statusCode(409).body("error", equalTo("call_not_in_progress"));
        assertThat(simulator.dialLegs(live.sid)).isEmpty();
    }

    @Test
    void transferWebhooksSignedForAnotherCallOrAccountAreRefused() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "cold", "to", busy())).then().statusCode(200);
        var params = SignedWebhook.params("AccountSid", s.account.accountSid(), "CallSid", "CA" + SimAccount.hex(16),
                "DialCallStatus", "completed");
        SignedWebhook.postSignedFor(urls.url(WebhookEndpoint.VOICE_TRANSFER, live.id), params,
                s.account.authToken()).then().statusCode(403);
        var target = SignedWebhook.params("AccountSid", s.account.accountSid(), "CallSid", "CA" + SimAccount.hex(16),
                "ParentCallSid", "CA" + SimAccount.hex(16), "CallStatus", "in-progress");
        SignedWebhook.postSignedFor(urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, live.id), target,
                s.account.authToken()).then().statusCode(403);
        awaitTransfer(s, live, "failed");
        hangUpCaller(live);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static final class Setup {
        final Api.Org org;
        final SimAccount account;
        final String number;
        final String transferNumber;
        String agentId;

        Setup(Api.Org org, SimAccount account, String number, String transferNumber) {
            this.org = org;
            this.account = account;
            this.number = number;
            this.transferNumber = transferNumber;
        }
    }

    private record Live(String id, String sid) {
    }

    private Setup setUp(boolean transfersEnabled, boolean withTransferNumber) {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1);
        String providerId = ControlledCalls.provider(org, account, transfersEnabled);
        var s = new Setup(org, account, account.numbers().get(0), SimAccount.randomNumber());
        s.agentId = agent(s, withTransferNumber ? s.transferNumber : null);
        Api.as(org).body(Map.of("number", s.number, "providerId", providerId, "agentId", s.agentId))
                .post("/v1/phone-numbers").then().statusCode(201);
        awaitRouted(s);
        return s;
    }

    private static String agent(Setup s, String transferNumber) {
        var body = new HashMap<String, Object>(Map.of("name", "Desk", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        if (transferNumber != null) {
            body.put("transferNumber", transferNumber);
        }
        return Api.as(s.org).body(body).post("/v1/agents").then().statusCode(201).extract().path("id");
    }

    private void awaitRouted(Setup s) {
        Await.until(Duration.ofSeconds(5), () -> routing.find(s.number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(s.agentId)).orElse(false),
                "the number routed to its agent");
    }

    /** A caller rings the number and the agent has the call. */
    private Live ring(Setup s) {
        var call = ControlledCalls.ring(simulator, s.org, s.number, CALLER);
        return new Live(call.id(), call.sid());
    }

    private static String awaitRow(Setup s, String sid) {
        return ControlledCalls.awaitRow(s.org, sid);
    }

    private static io.restassured.response.Response transfer(Setup s, Live live, Map<?, ?> body) {
        return Api.as(s.org).body(body).post("/v1/calls/" + live.id + "/transfer");
    }

    private static JsonPath call(Setup s, Live live) {
        return Api.as(s.org).get("/v1/calls/" + live.id).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitTransfer(Setup s, Live live, String status) {
        Await.until(Duration.ofSeconds(10), () -> status.equals(call(s, live).getString("transferStatus")),
                "the transfer " + status);
    }

    private SimulatedCall awaitLeg(String callSid, String status) {
        Await.until(Duration.ofSeconds(10), () -> simulator.dialLegs(callSid).stream()
                .anyMatch(leg -> status.equals(leg.status())), "the target's leg " + status);
        return simulator.dialLegs(callSid).stream().filter(leg -> status.equals(leg.status())).findFirst()
                .orElseThrow();
    }

    /** The caller's leg and every leg it dialed have ended. */
    private void awaitNothingLive(String callSid) {
        Await.until(Duration.ofSeconds(10), () -> simulator.liveCalls().stream().noneMatch(c -> c.sid()
                .equals(callSid)) && simulator.dialLegs(callSid).stream().allMatch(leg -> isOver(leg.status())),
                "the call and its legs to end");
    }

    private void hangUpCaller(Live live) {
        simulator.hangUp(live.sid);
        awaitNothingLive(live.sid);
    }

    private static boolean isOver(String status) {
        return CallStatuses.isTerminal(status);
    }

    private long redirects(String sid) {
        return simulator.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().endsWith("/Calls/" + sid + ".json") && r.params().containsKey("Twiml")).count();
    }

    private List<String> twimlOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).map(Recorded.Twiml::body).toList();
    }

    private static String busy() {
        return "+15005551" + String.format("%03d", NEXT.getAndIncrement() % 1000);
    }

    private static String noAnswer() {
        return "+15005552" + String.format("%03d", NEXT.getAndIncrement() % 1000);
    }

    /** As the TwiML writes a URL in an attribute: the {@code &} of its connection overrides escaped. */
    private static String xml(String url) {
        return url.replace("&", "&amp;");
    }
}
