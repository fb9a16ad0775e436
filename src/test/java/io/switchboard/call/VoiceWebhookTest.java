package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.InboundDelivery;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VoiceWebhookTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    CallTwiml twiml;

    @Inject
    WebhookUrls urls;

    @Test
    void streamAgentGetsTheCallWithItsParameters() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"),
                "parameters", Map.of("tenant", "a&b \"quoted\"", "lang", "en")));
        c.importNumber(0, agentId);
        awaitRouted(c.number(0), agentId);

        InboundDelivery answer = deliver(c.number(0));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect action=\""
                + actionInXml(agentId) + "\"><Stream url=\"wss://agents.example.com/media\">"
                + "<Parameter name=\"callSid\" value=\"" + answer.sid() + "\"/>"
                + "<Parameter name=\"from\" value=\"" + CALLER + "\"/>"
                + "<Parameter name=\"to\" value=\"" + c.number(0) + "\"/>"
                + "<Parameter name=\"agentId\" value=\"" + agentId + "\"/>"
                + "<Parameter name=\"lang\" value=\"en\"/>"
                + "<Parameter name=\"tenant\" value=\"a&amp;b &quot;quoted&quot;\"/>"
                + "</Stream></Connect></Response>");
    }

    @Test
    void eachRoutingTypeAnswersExactlyWhatTheBuildersProduce() {
        var c = Connected.create(simulator, 3);
        var agents = List.of(
                Map.<String, Object>of("name", "Sip", "recording", "on",
                        "routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com;transport=tls")),
                Map.<String, Object>of("name", "Human", "routing", Map.of("type", "number", "number", "+14155550999")),
                Map.<String, Object>of("name", "Recorded stream", "recording", "on",
                        "routing", Map.of("type", "stream", "url", "wss://agents.example.com/rec")));
        for (int i = 0; i < agents.size(); i++) {
            String agentId = c.createAgent(agents.get(i));
            c.importNumber(i, agentId);
            awaitRouted(c.number(i), agentId);
            InboundDelivery answer = deliver(c.number(i));
            Route.Agent agent = routing.find(c.number(i)).orElseThrow().agent();
            assertThat(answer.body())
                    .isEqualTo(SdkTwiml.connect(urls, agent, answer.sid(), CALLER, c.number(i)))
                    .isEqualTo(twiml.build(agent, answer.sid(), CALLER, c.number(i)));
        }
        InboundDelivery sipCall = deliver(c.number(0));
        String sipAgentId = routing.find(c.number(0)).orElseThrow().agent().id().toString();
        // A SIP agent's <Dial> takes its SIP REFER (referUrl), answered on the bridge so a refused REFER keeps the
        // caller with the agent.
        assertThat(sipCall.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + actionInXml(sipAgentId) + "\" answerOnBridge=\"true\""
                + " record=\"record-from-answer-dual\" recordingStatusCallback=\"" + recordingStatusInXml() + "\""
                + " recordingStatusCallbackEvent=\"in-progress completed absent\" recordingStatusCallbackMethod=\"POST\""
                + " referMethod=\"POST\" referUrl=\"" + urls.referUrl(sipAgentId).replace("&", "&amp;") + "\">"
                + "<Sip>" + SdkTwiml.sipUri(routing.find(c.number(0)).orElseThrow().agent(), sipCall.sid(), CALLER,
                        c.number(0)).replace("&", "&amp;")
                + "</Sip></Dial></Response>");
        assertThat(deliver(c.number(1)).body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + actionInXml(routing.find(c.number(1)).orElseThrow().agent().id().toString())
                + "\"><Number>+14155550999</Number></Dial></Response>");
        assertThat(deliver(c.number(2)).body()).contains("<Start><Recording recordingStatusCallback=\""
                + recordingStatusInXml() + "\"");
    }

    @Test
    void aNumberWithNoAgentSaysSoAndHangsUp() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the import to be routed");
        assertThat(deliver(c.number(0)).body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Say>" + CallTwiml.NO_AGENT_MESSAGE + "</Say><Hangup/></Response>");
    }

    @Test
    void aNumberUnknownToTheServiceIsRejected() {
        var c = Connected.create(simulator, 1);
        var params = inboundParams(c.account().accountSid(), SimAccount.randomNumber());
        signedPost(urls.voiceInbound(), params, c.account().authToken())
                .then().statusCode(200).contentType("text/xml")
                .body(equalTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject/>"
                        + "</Response>"));
    }

    @Test
    void anOutboundCallIsConnectedToItsAgentAndAnUnknownOneHungUp() {
        var c = Connected.create(simulator, 1);
        var params = inboundParams(c.account().accountSid(), CALLER);
        signedPost(urls.voiceOutbound(UUID.randomUUID().toString()), params,
                c.account().authToken())
                .then().statusCode(200)
                .body(equalTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/>"
                        + "</Response>"));
    }

    private void awaitRouted(String number, String agentId) {
        Await.until(Duration.ofSeconds(2), () -> routing.find(number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "number to be routed to its agent");
    }

    private InboundDelivery deliver(String number) {
        return simulator.deliverInboundCall(number, CALLER).await().atMost(Duration.ofSeconds(10));
    }

    private static Map<String, List<String>> inboundParams(String accountSid, String to) {
        return SignedWebhook.inboundCall(accountSid, CALLER, to);
    }

    /** Signed for this exact URL (which may differ from the path it is posted to). */
    /** The recording callback as an XML attribute holds it: the {@code &} of its connection overrides escaped. */
    private String actionInXml(String agentId) {
        return urls.agentAction(agentId).replace("&", "&amp;");
    }

    private String recordingStatusInXml() {
        return urls.recordingStatus().replace("&", "&amp;");
    }

    private static Response signedPost(String url, Map<String, List<String>> params, String token) {
        return SignedWebhook.postSignedFor(url, params, token);
    }
}
