package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.InboundDelivery;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * A call whose agent cannot be reached goes to the agent's fallback, through the simulator's {@code <Connect>} and
 * {@code <Dial>} actions: its transfer number, or a short message and a hang-up; a call whose agent ended it, or
 * whose caller left, does not.
 */
@QuarkusTest
class AgentFallbackTest {

    private static final String CALLER = "+15105550123";
    private static final String TRANSFER = "+14155550111";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    WebhookUrls urls;

    private Timing timing;

    @BeforeEach
    void longerCalls() {
        timing = simulator.timing();
        // Long enough that an agent leg ends by its own doing, not by the talk time running out.
        simulator.setTiming(new Timing(Duration.ofMillis(20), Duration.ofSeconds(3)));
    }

    @AfterEach
    void restoreTiming() {
        simulator.setTiming(timing);
    }

    @Test
    void aStreamThatCannotConnectGoesToTheTransferNumber() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Bot", "transferNumber", TRANSFER,
                "routing", Map.of("type", "stream", "url", "wss://agent.invalid/media")));

        List<Recorded.Twiml> answers = call(c.number(0), 2);

        Element dial = only(parse(answers.get(1).body()), "Dial");
        assertThat(answers.get(1).url()).isEqualTo(urls.agentAction(agentId));
        assertThat(dial.getAttribute("action")).isEqualTo(urls.agentFallbackAction(agentId));
        assertThat(only(parse(answers.get(1).body()), "Number").getTextContent()).isEqualTo(TRANSFER);
        assertThat(action(answers.get(1))).containsEntry("ErrorCode", List.of("31920"));
        assertThat(finished(answers.get(0).sid()).status()).isEqualTo("completed");
    }

    @Test
    void withoutATransferNumberTheCallerHearsAMessageAndTheCallEnds() {
        var c = Connected.create(simulator, 1);
        route(c, Map.of("name", "Relay", "routing", Map.of("type", "conversationRelay",
                "url", "wss://relay.invalid/ws", "welcomeGreeting", "Hello")));

        List<Recorded.Twiml> answers = call(c.number(0), 2);

        assertThat(only(parse(answers.get(0).body()), "ConversationRelay").getAttribute("welcomeGreeting"))
                .isEqualTo("Hello");
        assertThat(action(answers.get(1))).containsEntry("SessionStatus", List.of("failed"));
        Document fallback = parse(answers.get(1).body());
        assertThat(only(fallback, "Say").getTextContent()).isEqualTo(CallTwiml.UNREACHABLE_MESSAGE);
        assertThat(fallback.getElementsByTagName("Hangup").getLength()).isEqualTo(1);
        assertThat(finished(answers.get(0).sid()).status()).isEqualTo("completed");
    }

    @Test
    void aBusySipAgentThenAnUnansweredTransferNumberEndWithTheMessage() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Sip", "transferNumber", "+15005552001",
                "routing", Map.of("type", "sip", "uri", "sip:+15005551001@sip.example.com")));

        List<Recorded.Twiml> answers = call(c.number(0), 3);

        assertThat(action(answers.get(1))).containsEntry("DialCallStatus", List.of("busy"))
                .containsEntry("DialSipResponseCode", List.of("486"));
        assertThat(only(parse(answers.get(1).body()), "Number").getTextContent()).isEqualTo("+15005552001");
        assertThat(answers.get(2).url()).isEqualTo(urls.agentFallbackAction(agentId));
        assertThat(action(answers.get(2))).containsEntry("DialCallStatus", List.of("no-answer"));
        assertThat(only(parse(answers.get(2).body()), "Say").getTextContent())
                .isEqualTo(CallTwiml.UNREACHABLE_MESSAGE);
        finished(answers.get(0).sid());
    }

    @Test
    void eachFallbackIsAnEventOfTheCallWithItsReason() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Sip", "transferNumber", "+15005552002",
                "routing", Map.of("type", "sip", "uri", "sip:+15005551002@sip.example.com")));

        String sid = call(c.number(0), 3).get(0).sid();
        finished(sid);
        Await.until(Duration.ofSeconds(10), () -> !Api.as(c.org()).get("/v1/calls?sid=" + sid).then().statusCode(200)
                .extract().jsonPath().getList("items").isEmpty(), "the call row");
        String id = Api.as(c.org()).get("/v1/calls?sid=" + sid).then().extract().path("items[0].id");
        Await.until(Duration.ofSeconds(10), () -> fallbacks(c, id).size() == 2, "both fallback events");
        var events = fallbacks(c, id);
        assertThat(events).extracting(e -> e.get("status")).containsExactly("transfer-number", "message");
        assertThat(events).extracting(e -> param(e, "Step")).containsExactly("agent", "fallback");
        assertThat(events).extracting(e -> param(e, "Reason")).containsExactly("busy", "no-answer");
        assertThat(events).extracting(e -> param(e, "AgentId")).containsOnly(agentId);
    }

    private static List<Map<String, Object>> fallbacks(Connected c, String callId) {
        List<Map<String, Object>> items = Api.as(c.org()).get("/v1/calls/" + callId + "/events").then()
                .statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(e -> "fallback".equals(e.get("type"))).toList();
    }

    @SuppressWarnings("unchecked")
    private static Object param(Map<String, Object> event, String name) {
        return ((Map<String, List<Object>>) event.get("params")).get(name).get(0);
    }

    @Test
    void aNumberAgentThatFailsGoesToTheTransferNumberWhichAnswers() {
        var c = Connected.create(simulator, 1);
        route(c, Map.of("name", "Human", "transferNumber", TRANSFER,
                "routing", Map.of("type", "number", "number", "+15005553001")));

        List<Recorded.Twiml> answers = call(c.number(0), 2);

        assertThat(action(answers.get(1))).containsEntry("DialCallStatus", List.of("failed"));
        assertThat(only(parse(answers.get(1).body()), "Number").getTextContent()).isEqualTo(TRANSFER);
        // The transfer number answered and talked: the call ends with no third answer.
        finished(answers.get(0).sid());
        assertThat(answersOf(answers.get(0).sid())).hasSize(2);
    }

    @Test
    void anAgentThatEndsTheStreamOnPurposeEndsTheCallWithoutTheFallback() {
        var c = Connected.create(simulator, 1);
        route(c, Map.of("name", "Bot", "transferNumber", TRANSFER,
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        InboundDelivery answer = deliver(c.number(0));
        Await.until(Duration.ofSeconds(2), () -> simulator.endAgentLeg(answer.sid()), "the stream to be connected");

        Await.until(Duration.ofSeconds(5), () -> answersOf(answer.sid()).size() == 2, "the action to be answered");
        var answers = answersOf(answer.sid());
        assertThat(action(answers.get(1))).containsKey("StreamSid").doesNotContainKey("ErrorCode");
        assertThat(answers.get(1).body()).isEqualTo(SdkTwiml.hangup());
        assertThat(finished(answer.sid()).status()).isEqualTo("completed");
    }

    @Test
    void aRelaySessionTheAgentEndedIsNotAFailureEvenWithHandoffData() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Relay", "transferNumber", TRANSFER,
                "routing", Map.of("type", "conversationRelay", "url", "wss://relay.example.com/ws")));
        var params = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        params.put("CallStatus", List.of("in-progress"));
        params.put("SessionId", List.of("VX0123"));
        params.put("SessionStatus", List.of("completed"));
        params.put("HandoffData", List.of("{\"reason\":\"done\"}"));
        assertThat(post(urls.agentAction(agentId), params, c)).isEqualTo(SdkTwiml.hangup());
    }

    @Test
    void aCallerWhoHungUpGetsNoFallbackWhateverTheVerbReports() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Sip", "transferNumber", TRANSFER,
                "routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com")));
        var params = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        params.put("CallStatus", List.of("completed"));
        params.put("DialCallStatus", List.of("no-answer"));
        assertThat(post(urls.agentAction(agentId), params, c)).isEqualTo(SdkTwiml.hangup());

        // The same request while the caller is still there does go to the transfer number.
        params.put("CallStatus", List.of("in-progress"));
        assertThat(post(urls.agentAction(agentId), params, c))
                .isEqualTo(SdkTwiml.fallback(urls, agentId, TRANSFER));
    }

    @Test
    void anOutboundCallsAgentIsReadWithinTheSigningProvidersOrganization() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        String agentId = c.createAgent(Map.of("name", "Bot", "transferNumber", TRANSFER,
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the import to be routed");
        var params = SignedWebhook.inboundCall(c.account().accountSid(), c.number(0), "+14155550199");
        params.put("Direction", List.of("outbound-api"));
        params.put("CallStatus", List.of("in-progress"));
        params.put("StreamError", List.of("Stream - WebSocket - Connection Refused"));
        assertThat(post(urls.agentAction(agentId), params, c)).isEqualTo(SdkTwiml.fallback(urls, agentId, TRANSFER));

        // Another organization's agent is none of this provider's: the caller hears the message.
        var other = Connected.create(simulator, 1);
        String theirs = other.createAgent(Map.of("name", "Theirs", "transferNumber", "+14155550122",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        assertThat(post(urls.agentAction(theirs), params, c)).isEqualTo(SdkTwiml.unreachable());
    }

    @Test
    void theActionIsSignedLikeEveryOtherWebhook() {
        var c = Connected.create(simulator, 1);
        String agentId = route(c, Map.of("name", "Bot", "transferNumber", TRANSFER,
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        var params = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        params.put("ErrorCode", List.of("31920"));
        String url = urls.agentAction(agentId);
        SignedWebhook.postSignedFor(url, params, "not-the-auth-token").then().statusCode(403);
        // Signed by the account that owns the number, it is answered: the fallback, as the stream failed.
        assertThat(post(url, params, c)).isEqualTo(SdkTwiml.fallback(urls, agentId, TRANSFER));
    }

    private String route(Connected c, Map<String, Object> agent) {
        String agentId = c.createAgent(agent);
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0))
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "number to be routed to its agent");
        return agentId;
    }

    private InboundDelivery deliver(String number) {
        return simulator.deliverInboundCall(number, CALLER).await().atMost(Duration.ofSeconds(10));
    }

    /** Calls the number and waits for the service's answers to it: the inbound one, then each action's. */
    private List<Recorded.Twiml> call(String number, int answers) {
        InboundDelivery answer = deliver(number);
        Await.until(Duration.ofSeconds(5), () -> answersOf(answer.sid()).size() >= answers,
                answers + " answers to the call");
        return answersOf(answer.sid());
    }

    private List<Recorded.Twiml> answersOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).toList();
    }

    /** The parameters of the action request that this answer answered. */
    private Map<String, List<String>> action(Recorded.Twiml answer) {
        return simulator.callbacks(answer.sid()).stream().filter(cb -> "action".equals(cb.kind()))
                .filter(cb -> cb.url().equals(answer.url())).reduce((first, second) -> second).orElseThrow()
                .params();
    }

    private SimulatedCall finished(String sid) {
        try {
            return simulator.callFinished(sid).toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("call " + sid + " did not finish", e);
        }
    }

    private static String post(String url, Map<String, List<String>> params, Connected c) {
        return SignedWebhook.postSignedFor(url, params, c.account().authToken()).then().statusCode(200)
                .contentType("text/xml").extract().asString();
    }

    private static Element only(Document document, String tag) {
        var nodes = document.getElementsByTagName(tag);
        assertThat(nodes.getLength()).as(tag).isEqualTo(1);
        return (Element) nodes.item(0);
    }

    private static Document parse(String xml) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new AssertionError("not a well-formed XML document: " + xml, e);
        }
    }
}
