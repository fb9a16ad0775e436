package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.SimulatedRefer;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SIP agent hands its caller on with a SIP REFER, end to end against the simulator: the agent's {@code <Dial>}
 * carries the signed referUrl, an accepted REFER is a cold transfer recorded on the call, every refusal leaves the
 * caller with the agent and is recorded as a {@code refused} transfer event, and no leg is left once a party hangs up.
 */
@QuarkusTest
class SipReferTest {

    private static final String CALLER = "+15105550123";
    private static final String AGENT_URI = "sip:bot@agents.example.com";

    @Inject
    TwilioSimulator simulator;
    @Inject
    RoutingTable routing;
    @Inject
    WebhookUrls urls;

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

    @Test
    void theSipAgentsDialCarriesTheReferUrlAndKeepsTheAgentUntilTheTargetAnswers() {
        var s = setUp(true);
        var live = ring(s);
        String answer = simulator.twiml().stream().filter(t -> live.sid.equals(t.sid())).map(Recorded.Twiml::body)
                .findFirst().orElseThrow();
        assertThat(answer).contains(" answerOnBridge=\"true\" referMethod=\"POST\" referUrl=\""
                + xml(urls.url(WebhookEndpoint.VOICE_REFER, s.agentId)) + "\">");
        hangUpCaller(live);
    }

    @Test
    void anAcceptedReferIsAColdTransferRecordedOnTheCall() {
        var s = setUp(true);
        var live = ring(s);
        String target = SimAccount.randomNumber();
        SimulatedRefer refer = refer(live, "<tel:" + target + ">");
        assertThat(refer.accepted()).isTrue();

        assertThat(twimlOf(live.sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER, live.id)) + "\" callerId=\""
                + CALLER + "\" method=\"POST\"><Number statusCallback=\""
                + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, live.id))
                + "\" statusCallbackEvent=\"answered completed\" statusCallbackMethod=\"POST\">" + target
                + "</Number></Dial></Response>");
        SimulatedCall leg = awaitLeg(live.sid, "in-progress");
        assertThat(leg.to()).isEqualTo(target);
        assertThat(leg.from()).isEqualTo(CALLER);
        awaitTransfer(s, live, "connected");
        JsonPath call = call(s, live);
        assertThat(call.getString("transferredTo")).isEqualTo(target);
        // The agent's leg left for the REFER: its dial's action was never requested.
        assertThat(simulator.twiml().stream().filter(t -> live.sid.equals(t.sid()) && t.url() != null
                && t.url().contains("/agent-action/"))).isEmpty();

        // The target hangs up: the caller's leg ends too, and nothing is left.
        simulator.hangUp(leg.sid());
        awaitNothingLive(live.sid);
        var events = events(s, live);
        assertThat(events.getList("items.findAll { it.type == 'transfer' }.status", String.class))
                .containsExactly("dialing", "target-in-progress", "target-completed", "connected");
        assertThat(events.getString("items.find { it.type == 'transfer' && it.status == 'dialing' }.params.Source[0]"))
                .isEqualTo("sip-refer");
    }

    @Test
    void aReferToASipUriDialsItWithItsHeadersAndTheCallerHangingUpLeavesNoLeg() {
        var s = setUp(true);
        var live = ring(s);
        assertThat(refer(live, "<sip:desk@pbx.example.com?X-Reason=billing>").accepted()).isTrue();
        assertThat(twimlOf(live.sid).get(twimlOf(live.sid).size() - 1))
                .contains("sip:desk@pbx.example.com?X-Reason=billing</Sip>");
        awaitLeg(live.sid, "in-progress");
        hangUpCaller(live);
        assertThat(call(s, live).getString("transferredTo")).isEqualTo("sip:desk@pbx.example.com?X-Reason=billing");
    }

    @Test
    void aReferWithTransfersDisabledIsRefusedAndTheCallerStaysWithTheAgent() {
        var s = setUp(false);
        var live = ring(s);
        SimulatedRefer refer = refer(live, "<tel:" + SimAccount.randomNumber() + ">");
        assertThat(refer.accepted()).isFalse();
        assertThat(refer.status()).isEqualTo(403);
        assertStillWithTheAgent(s, live, "transfers_disabled");
        hangUpCaller(live);
    }

    @Test
    void aReferToABadTargetIsRefused() {
        var s = setUp(true);
        var live = ring(s);
        for (String bad : List.of("<mailto:ada@example.com>", "<tel:4155550150>", "sip:desk@pbx.example.com?<x>",
                "sip:" + "a".repeat(300) + "@pbx.example.com")) {
            SimulatedRefer refer = refer(live, bad);
            assertThat(refer.status()).as(bad).isEqualTo(400);
        }
        assertStillWithTheAgent(s, live, "invalid_target");
        hangUpCaller(live);
    }

    @Test
    void aReferDuringATransferIsRefused() {
        var s = setUp(true);
        var live = ring(s);
        // A transfer through the API first; the simulator still has the SIP agent's dial able to REFER.
        Api.as(s.org).body(Map.of("mode", "cold", "to", SimAccount.randomNumber())).post("/v1/calls/" + live.id
                + "/transfer").then().statusCode(200);
        SimulatedRefer refer = refer(live, "<tel:" + SimAccount.randomNumber() + ">");
        assertThat(refer.status()).isEqualTo(409);
        assertThat(events(s, live).getList("items.findAll { it.type == 'transfer' && it.status == 'refused' }"
                + ".collect { it.params.Reason[0] }", String.class)).containsExactly("transfer_in_progress");
        hangUpCaller(live);
    }

    @Test
    void aReferUrlOfAnotherAgentOrForAnUnknownCallIsRefused() {
        var s = setUp(true);
        var live = ring(s);
        var params = SignedWebhook.params("AccountSid", s.account.accountSid(), "CallSid", live.sid, "From", CALLER,
                "To", s.number, "Direction", "inbound", "CallStatus", "in-progress", "ReferTransferTarget",
                "<tel:+14155550150>");
        SignedWebhook.post(WebhookEndpoint.VOICE_REFER.path(UUID.randomUUID().toString()), params,
                s.account.authToken()).then().statusCode(403);
        var unknown = new HashMap<>(params);
        unknown.put("CallSid", List.of("CA" + SimAccount.hex(16)));
        SignedWebhook.post(WebhookEndpoint.VOICE_REFER.path(s.agentId), unknown, s.account.authToken()).then()
                .statusCode(409);
        SignedWebhook.post(WebhookEndpoint.VOICE_REFER.path(s.agentId), params, "0".repeat(32)).then()
                .statusCode(403);
        assertThat(call(s, live).getString("transferStatus")).isNull();
        hangUpCaller(live);
    }

    // --- ConversationRelay handoff -------------------------------------------------------------------------------

    @Test
    void aRelaySessionEndedWithATransferTargetHandsTheCallerToIt() {
        var s = setUp(true, Map.of("type", "conversationRelay", "url", "wss://relay.example.com/ws"));
        var live = ringAny(s);
        String target = SimAccount.randomNumber();
        String answer = sessionEnded(s, live, "{\"transferTo\":\"" + target + "\",\"reason\":\"billing\"}");
        assertThat(answer).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER, live.id)) + "\" callerId=\""
                + CALLER + "\" method=\"POST\"><Number statusCallback=\""
                + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, live.id))
                + "\" statusCallbackEvent=\"answered completed\" statusCallbackMethod=\"POST\">" + target
                + "</Number></Dial></Response>");
        JsonPath call = call(s, live);
        assertThat(call.getString("transferredTo")).isEqualTo(target);
        assertThat(call.getString("transferStatus")).isEqualTo("dialing");
        assertThat(events(s, live).getString("items.find { it.type == 'transfer' }.params.Source[0]"))
                .isEqualTo("handoff");
        hangUpCaller(live);
    }

    @Test
    void aHandoffToABadTargetEndsTheCallAsBefore() {
        var s = setUp(true, Map.of("type", "conversationRelay", "url", "wss://relay.example.com/ws"));
        var live = ringAny(s);
        String hangup = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/></Response>";
        assertThat(sessionEnded(s, live, "{\"transferTo\":\"mailto:ada@example.com\"}")).isEqualTo(hangup);
        assertThat(sessionEnded(s, live, "{\"transferTo\":42}")).isEqualTo(hangup);
        assertThat(sessionEnded(s, live, "not json")).isEqualTo(hangup);
        assertThat(sessionEnded(s, live, "{\"reason\":\"done\"}")).isEqualTo(hangup);
        assertThat(call(s, live).getString("transferStatus")).isNull();
        assertThat(events(s, live).getList("items.findAll { it.type == 'transfer' }.collect { it.params.Reason[0] }",
                String.class))
                .containsExactly("invalid_target", "invalid_target");
        hangUpCaller(live);
    }

    /** The {@code <Connect action>} request of a ConversationRelay session the application ended with this data. */
    private String sessionEnded(Setup s, Live live, String handoffData) {
        var params = SignedWebhook.inboundCall(s.account.accountSid(), CALLER, s.number);
        params.put("CallSid", List.of(live.sid));
        params.put("CallStatus", List.of("in-progress"));
        params.put("SessionId", List.of("VX0123"));
        params.put("SessionStatus", List.of("completed"));
        params.put("HandoffData", List.of(handoffData));
        return SignedWebhook.postSignedFor(urls.agentAction(s.agentId), params, s.account.authToken()).then()
                .statusCode(200).contentType("text/xml").extract().asString();
    }

    @Test
    void theReferToHeadersTargetIsReadAsTwilioPassesIt() {
        assertThat(ReferWebhook.target("<tel:+14155550150>")).isEqualTo("+14155550150");
        assertThat(ReferWebhook.target("tel:+14155550150;phone-context=x")).isEqualTo("+14155550150");
        assertThat(ReferWebhook.target(" +14155550150 ")).isEqualTo("+14155550150");
        assertThat(ReferWebhook.target("<sip:+14155550150@pbx.example.com>")).isEqualTo(
                "sip:+14155550150@pbx.example.com");
        assertThat(ReferWebhook.target("<sips:desk@pbx.example.com:5061;transport=tls?X-A=1&X-B=two>"))
                .isEqualTo("sips:desk@pbx.example.com:5061;transport=tls?X-A=1&X-B=two");
        assertThat(ReferWebhook.target(null)).isNull();
        assertThat(ReferWebhook.target("<>")).isNull();
        assertThat(ReferWebhook.target("sip:desk@")).isNull();
        assertThat(ReferWebhook.target("sip:desk@pbx.example.com?X-A")).isNull();
        assertThat(ReferWebhook.target("http://example.com")).isNull();
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private void assertStillWithTheAgent(Setup s, Live live, String reason) {
        JsonPath call = call(s, live);
        assertThat(call.getString("transferStatus")).isNull();
        assertThat(call.getString("transferredTo")).isNull();
        assertThat(simulator.dialLegs(live.sid)).isEmpty();
        assertThat(simulator.heldBySipAgent(live.sid)).isTrue();
        assertThat(events(s, live).getList("items.findAll { it.type == 'transfer' }.status", String.class))
                .isNotEmpty().allMatch("refused"::equals);
        assertThat(events(s, live).getList("items.findAll { it.type == 'transfer' }.collect { it.params.Reason[0] }",
                String.class))
                .contains(reason);
    }

    private static final class Setup {
        final Api.Org org;
        final SimAccount account;
        final String number;
        String agentId;

        Setup(Api.Org org, SimAccount account, String number) {
            this.org = org;
            this.account = account;
            this.number = number;
        }
    }

    private record Live(String id, String sid) {
    }

    private Setup setUp(boolean transfersEnabled) {
        return setUp(transfersEnabled, Map.of("type", "sip", "uri", AGENT_URI));
    }

    private Setup setUp(boolean transfersEnabled, Map<String, String> routingOfAgent) {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1);
        String providerId = ControlledCalls.provider(org, account, transfersEnabled);
        var s = new Setup(org, account, account.numbers().get(0));
        s.agentId = Api.as(org).body(Map.of("name", "Desk", "routing", routingOfAgent))
                .post("/v1/agents").then().statusCode(201).extract().path("id");
        Api.as(org).body(Map.of("number", s.number, "providerId", providerId, "agentId", s.agentId))
                .post("/v1/phone-numbers").then().statusCode(201);
        Await.until(Duration.ofSeconds(5), () -> routing.find(s.number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(s.agentId)).orElse(false),
                "the number routed to its agent");
        return s;
    }

    /** A caller rings the number and the SIP agent has the call. */
    private Live ring(Setup s) {
        Live live = ringAny(s);
        Await.until(Duration.ofSeconds(5), () -> simulator.heldBySipAgent(live.sid), "the SIP agent's leg");
        return live;
    }

    /** A caller rings the number, and its row is stored. */
    private Live ringAny(Setup s) {
        var call = ControlledCalls.ring(simulator, s.org, s.number, CALLER);
        return new Live(call.id(), call.sid());
    }

    private SimulatedRefer refer(Live live, String referTo) {
        return simulator.refer(live.sid, referTo, Map.of()).await().atMost(Duration.ofSeconds(10));
    }

    private static JsonPath call(Setup s, Live live) {
        return Api.as(s.org).get("/v1/calls/" + live.id).then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath events(Setup s, Live live) {
        return Api.as(s.org).get("/v1/calls/" + live.id + "/events").then().statusCode(200).extract().jsonPath();
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
                .equals(callSid)) && simulator.dialLegs(callSid).stream()
                        .allMatch(leg -> CallStatuses.isTerminal(leg.status())),
                "the call and its legs to end");
    }

    private void hangUpCaller(Live live) {
        simulator.hangUp(live.sid);
        awaitNothingLive(live.sid);
    }

    private List<String> twimlOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).map(Recorded.Twiml::body).toList();
    }

    /** As the TwiML writes a URL in an attribute: the {@code &} of its connection overrides escaped. */
    private static String xml(String url) {
        return url.replace("&", "&amp;");
    }
}
