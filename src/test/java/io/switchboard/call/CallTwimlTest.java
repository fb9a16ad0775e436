package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.agent.Routing;
import io.switchboard.routing.Route;
import io.switchboard.twilio.WebhookUrls;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * Every routing type and option, with values that need escaping in the agent, the calls and the public URL, answered
 * byte for byte as twilio-java's builders answer them, from the cached template as from a fresh one.
 */
class CallTwimlTest {

    private static final String OVERRIDES = "ct=3000&rt=5000&tt=15000&rc=3&rp=ct,rt,5xx";
    private static final String OVERRIDES_IN_XML = "#ct=3000&amp;rt=5000&amp;tt=15000&amp;rc=3&amp;rp=ct,rt,5xx";
    // The public base URL may carry characters that need escaping in an attribute, and some that java.net.URI refuses.
    private static final WebhookUrls URLS = urls("https://hooks.example.com/a&b\"c<d>é");
    private static final WebhookUrls URI_URLS = urls("https://hooks.example.com/a&b'é");
    private static final Map<String, String> ESCAPED = Map.of(
            "tenant", "a&b \"quoted\" <x> 'y'",
            "lang", "fr-CA é",
            "jp", "日本語",
            "emoji", "😀 ok 𝄞",
            "lines", "one\ntwo\tthree\r",
            "c1", "\u0085\u009f\u00a0",
            "empty", "");
    private static final List<String[]> CALLS = List.of(
            new String[] { "CA0123456789abcdef0123456789abcdef", "+15105550123", "+14155550100" },
            new String[] { "CA<&>\"'", "Anonymous é 😀", "sip:+1415@example.com;x=\"1\"\n\t\r\u0085" },
            new String[] { "", "", "" });

    private static final Map<String, String> RELAY_SETTINGS = Map.of("welcomeGreeting",
            "Hi & welcome, \"friend\" <3 é 😀", "language", "en-US", "voice", "en-US-Journey-O", "ttsProvider",
            "Google", "transcriptionProvider", "Deepgram", "interruptible", "speech", "welcomeGreetingInterruptible",
            "none", "dtmfDetection", "true");

    private final CallTwiml twiml = new CallTwiml(URLS);
    private final CallTwiml uriTwiml = new CallTwiml(URI_URLS);

    @Test
    void aConversationRelayAgentGetsItsAttributesAndTheCallsParameters() {
        var agent = new Route.Agent(UUID.randomUUID(), Routing.CONVERSATION_RELAY, "wss://relay.example.com/ws",
                Map.of("tenant", "acme"), false, null, RELAY_SETTINGS);
        var document = parse(uriTwiml.connect(agent, "CA1", "+15105550123", "+14155550100"));
        var connect = (Element) document.getElementsByTagName("Connect").item(0);
        assertThat(connect.getAttribute("action")).isEqualTo(URI_URLS.agentAction(agent.id().toString()));
        var relay = (Element) connect.getElementsByTagName("ConversationRelay").item(0);
        assertThat(relay.getParentNode()).isSameAs(connect);
        assertThat(relay.getAttribute("url")).isEqualTo("wss://relay.example.com/ws");
        RELAY_SETTINGS.forEach((name, value) -> assertThat(relay.getAttribute(name)).as(name).isEqualTo(value));
        assertThat(relay.getAttributes().getLength()).isEqualTo(1 + RELAY_SETTINGS.size());
        var parameters = relay.getElementsByTagName("Parameter");
        var names = new ArrayList<String>();
        for (int i = 0; i < parameters.getLength(); i++) {
            names.add(((Element) parameters.item(i)).getAttribute("name"));
        }
        assertThat(names).containsExactly("callSid", "from", "to", "agentId", "tenant");
        assertThat(parameters(uriTwiml.connect(agent, "CA1", "+15105550123", "+14155550100")))
                .containsEntry("callSid", "CA1").containsEntry("agentId", agent.id().toString());
    }

    @Test
    void aSipAgentGetsTheCallAndItsParametersAsUrlEncodedXHeaders() {
        var agent = agent(Routing.SIP, "sip:bot@sip.example.com;transport=tls",
                Map.of("tenant", "a&b =?;+ é", "plan", "gold"), false);
        var document = parse(uriTwiml.connect(agent, "CA1", "+15105550123", "+14155550100"));
        var dial = (Element) document.getElementsByTagName("Dial").item(0);
        assertThat(dial.getAttribute("action")).isEqualTo(URI_URLS.agentAction(agent.id().toString()));
        assertThat(dial.getElementsByTagName("Sip").item(0).getTextContent()).isEqualTo(
                "sip:bot@sip.example.com;transport=tls?X-callSid=CA1&X-from=%2B15105550123&X-to=%2B14155550100"
                        + "&X-agentId=" + agent.id() + "&X-plan=gold&X-tenant=a%26b%20%3D%3F%3B%2B%20%C3%A9");
    }

    @Test
    void sipHeadersPastTwiliosLimitAreLeftOutWholeAndTheCallsOwnComeFirst() {
        var agent = agent(Routing.SIP, "sip:bot@sip.example.com", Map.of("a", "x".repeat(800), "b", "y".repeat(100),
                "c", "z".repeat(200)), false);
        // A long caller (a SIP address) takes the room the parameters would have had.
        String from = "sip:" + "caller".repeat(20) + "@example.com";
        for (int round = 0; round < 2; round++) {
            String uri = parse(twiml.connect(agent, "CA1", from, "+14155550100")).getElementsByTagName("Sip").item(0)
                    .getTextContent();
            String headers = uri.substring(uri.indexOf('?') + 1);
            assertThat(headers.length()).isLessThan(1024);
            assertThat(headers).startsWith("X-callSid=CA1&X-from=sip%3A").contains("&X-agentId=" + agent.id())
                    .contains("&X-b=" + "y".repeat(100)).contains("&X-c=" + "z".repeat(200)).doesNotContain("X-a=");
        }
        // A short call has room for the first two parameters (1,017 characters), not for the third: whole or not at all.
        String uri = parse(twiml.connect(agent, "CA1", "+15105550123", "+14155550100")).getElementsByTagName("Sip")
                .item(0).getTextContent();
        assertThat(uri).contains("&X-a=" + "x".repeat(800) + "&X-b=" + "y".repeat(100)).doesNotContain("X-c=");
        assertThat(uri.substring(uri.indexOf('?') + 1).length()).isLessThan(1024);
    }

    @Test
    void theFallbackDialsTheTransferNumberOrSaysSorryAndHangsUp() {
        var agent = new Route.Agent(UUID.randomUUID(), Routing.STREAM, "wss://agents.example.com/media", Map.of(),
                false, "+14155550111");
        for (WebhookUrls urls : List.of(URLS, URI_URLS)) {
            assertThat(new CallTwiml(urls).fallback(agent))
                    .isEqualTo(SdkTwiml.fallback(urls, agent.id().toString(), "+14155550111"));
        }
        var dial = (Element) parse(uriTwiml.fallback(agent)).getElementsByTagName("Dial").item(0);
        assertThat(dial.getAttribute("action")).isEqualTo(URI_URLS.agentFallbackAction(agent.id().toString()))
                .contains("/twilio/voice/agent-action/" + agent.id() + "?step=fallback#");
        assertThat(dial.getElementsByTagName("Number").item(0).getTextContent()).isEqualTo("+14155550111");

        var withoutTransfer = agent(Routing.STREAM, "wss://agents.example.com/media", Map.of(), false);
        assertThat(twiml.fallback(withoutTransfer)).isEqualTo(SdkTwiml.unreachable()).isEqualTo(twiml.unreachable());
        assertThat(twiml.fallback(null)).isEqualTo(SdkTwiml.unreachable());
    }

    private static org.w3c.dom.Document parse(String xml) {
        try {
            return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new AssertionError("not a well-formed XML document: " + xml, e);
        }
    }

    @Test
    void everyRoutingTypeAndOptionAnswersWhatTheBuildersProduce() {
        for (WebhookUrls urls : List.of(URLS, URI_URLS)) {
            var twiml = new CallTwiml(urls);
            for (Route.Agent agent : agents()) {
                // Twice, so the second round renders from the cached template.
                for (int round = 0; round < 2; round++) {
                    for (String[] call : CALLS) {
                        String expected = SdkTwiml.connect(urls, agent, call[0], call[1], call[2]);
                        assertThat(twiml.connect(agent, call[0], call[1], call[2]))
                                .as(urls.base() + " " + agent + " " + List.of(call)).isEqualTo(expected);
                        assertThat(twiml.build(agent, call[0], call[1], call[2])).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void aRecordedDialLeavesOutARecordingUrlThatIsNotAUriAsTheBuildersDo() {
        var agent = agent(Routing.NUMBER, "+14155550999", Map.of(), true);
        assertThat(new CallTwiml(URI_URLS).connect(agent, "CA1", "+15105550123", "+14155550100")).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial action=\"https://hooks.example.com/a&amp;b'é"
                        + "/twilio/voice/agent-action/" + agent.id() + OVERRIDES_IN_XML
                        + "\" record=\"record-from-answer-dual\""
                        + " recordingStatusCallback=\"https://hooks.example.com/a&amp;b'é/twilio/voice/recording"
                        + OVERRIDES_IN_XML + "\""
                        + " recordingStatusCallbackEvent=\"in-progress completed absent\""
                        + " recordingStatusCallbackMethod=\"POST\"><Number>+14155550999</Number></Dial></Response>");
        assertThat(twiml.connect(agent, "CA1", "+15105550123", "+14155550100")).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial record=\"record-from-answer-dual\""
                        + " recordingStatusCallbackEvent=\"in-progress completed absent\""
                        + " recordingStatusCallbackMethod=\"POST\"><Number>+14155550999</Number></Dial></Response>");
    }

    @Test
    void theRecordedStreamStartsRecordingBeforeItConnects() {
        var agent = agent(Routing.STREAM, "wss://agents.example.com/media", Map.of(), true);
        assertThat(twiml.connect(agent, "CA1", "+15105550123", "+14155550100")).isEqualTo(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Start><Recording recordingStatusCallback=\""
                        + "https://hooks.example.com/a&amp;b&quot;c&lt;d&gt;é/twilio/voice/recording" + OVERRIDES_IN_XML
                        + "\""
                        + " recordingStatusCallbackEvent=\"in-progress completed absent\""
                        + " recordingStatusCallbackMethod=\"POST\"/></Start><Connect>"
                        + "<Stream url=\"wss://agents.example.com/media\">"
                        + "<Parameter name=\"callSid\" value=\"CA1\"/>"
                        + "<Parameter name=\"from\" value=\"+15105550123\"/>"
                        + "<Parameter name=\"to\" value=\"+14155550100\"/>"
                        + "<Parameter name=\"agentId\" value=\"" + agent.id() + "\"/>"
                        + "</Stream></Connect></Response>");
    }

    @Test
    void theFixedAnswersAreWhatTheBuildersProduce() {
        assertThat(twiml.noAgent()).isEqualTo(SdkTwiml.noAgent());
        assertThat(twiml.reject()).isEqualTo(SdkTwiml.reject());
        assertThat(twiml.hangup()).isEqualTo(SdkTwiml.hangup());
    }

    /**
     * A character XML does not allow, in a stored setting or in what a call sent, is written as U+FFFD: the call is
     * still answered, with a document Twilio can read, the rest of it byte for byte what the builders write.
     */
    @Test
    void replacesCharactersXmlDoesNotAllowAndStillAnswers() {
        var withControl = agent(Routing.STREAM, "wss://agents.example.com/media", Map.of("tenant", "a\u0001b"), false);
        var replaced = new Route.Agent(withControl.id(), Routing.STREAM, withControl.target(),
                Map.of("tenant", "a\uFFFDb"), false, null);
        for (int round = 0; round < 2; round++) {
            String answer = twiml.connect(withControl, "CA1", "+15105550123", "+14155550100");
            assertThat(answer).isEqualTo(SdkTwiml.connect(URLS, replaced, "CA1", "+15105550123",
                    "+14155550100"));
            assertThat(parameters(answer)).containsEntry("tenant", "a\uFFFDb");
        }

        var stream = agent(Routing.STREAM, "wss://agents.example.com/media", Map.of(), false);
        for (String[] call : List.of(
                new String[] { "CA\u0000\r\n1", "+1510555\u00000123", "+1415\uD83D", "CA\uFFFD\r\n1",
                    "+1510555\uFFFD0123", "+1415\uFFFD" },
                new String[] { "CA\u001b[2J", "\uDE00+1", "\uFFFF", "CA\uFFFD[2J", "\uFFFD+1", "\uFFFD" })) {
            String answer = twiml.connect(stream, call[0], call[1], call[2]);
            assertThat(answer).isEqualTo(SdkTwiml.connect(URLS, stream, call[3], call[4], call[5]))
                    .isEqualTo(twiml.build(stream, call[0], call[1], call[2]));
            assertThat(parameters(answer)).containsEntry("callSid", call[3]).containsEntry("from", call[4])
                    .containsEntry("to", call[5]);
        }
        // The replaced values left the template as it was.
        assertThat(twiml.connect(stream, "CA1", "+15105550123", "+14155550100"))
                .isEqualTo(SdkTwiml.connect(URLS, stream, "CA1", "+15105550123", "+14155550100"));
    }

    /** The {@code <Parameter>}s of a stream answer, read by the JDK's XML parser, which refuses what XML forbids. */
    private static Map<String, String> parameters(String xml) {
        try {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml)));
            var nodes = document.getElementsByTagName("Parameter");
            var parameters = new LinkedHashMap<String, String>();
            for (int i = 0; i < nodes.getLength(); i++) {
                var element = (Element) nodes.item(i);
                parameters.put(element.getAttribute("name"), element.getAttribute("value"));
            }
            return parameters;
        } catch (Exception e) {
            throw new AssertionError("not a well-formed XML document: " + xml, e);
        }
    }

    @Test
    void anUnknownRoutingTypeIsAnError() {
        var agent = agent("carrier-pigeon", "coop", Map.of(), false);
        assertThatThrownBy(() -> twiml.connect(agent, "CA1", "+15105550123", "+14155550100"))
                .isInstanceOf(IllegalStateException.class).hasMessage("unknown routing type carrier-pigeon");
    }

    private static List<Route.Agent> agents() {
        var agents = new ArrayList<Route.Agent>();
        for (boolean recording : new boolean[] { false, true }) {
            agents.add(agent(Routing.STREAM, "wss://agents.example.com/media", Map.of(), recording));
            agents.add(agent(Routing.STREAM, "wss://agents.example.com/media/a&b<c>\"d\"", ESCAPED, recording));
            agents.add(agent(Routing.SIP, "sip:bot@sip.example.com;transport=tls", Map.of(), recording));
            agents.add(agent(Routing.SIP, "sip:a&b'é\u0085😀@sip.example.com;x=1&y=2", Map.of(), recording));
            // Not a URI to java.net.URI, so the builders write an empty <Sip/>.
            agents.add(agent(Routing.SIP, "sip:a|b<c>\"d\"@sip.example.com", Map.of(), recording));
            agents.add(agent(Routing.SIP, "sip:bot@sip.example.com", ESCAPED, recording));
            agents.add(agent(Routing.SIP, "sip:bot@sip.example.com;transport=tls?X-Existing=1&User-to-User=ab",
                    Map.of("tenant", "acme"), recording));
            // More than Twilio takes: the headers past 1,023 characters are left out whole.
            agents.add(agent(Routing.SIP, "sip:bot@sip.example.com", Map.of("a", "x".repeat(500), "b",
                    "y".repeat(450), "c", "z".repeat(10)), recording));
            agents.add(agent(Routing.CONVERSATION_RELAY, "wss://relay.example.com/ws", Map.of(), recording));
            agents.add(new Route.Agent(UUID.randomUUID(), Routing.CONVERSATION_RELAY, "wss://relay.example.com/a&b",
                    new LinkedHashMap<>(ESCAPED), recording, null, RELAY_SETTINGS));
            agents.add(agent(Routing.NUMBER, "+14155550999", Map.of(), recording));
            agents.add(agent(Routing.NUMBER, "+1 (415) 555-0999 & <ext> \"1\" \u0085", Map.of(), recording));
            // The transfer number is not part of the answer.
            agents.add(new Route.Agent(UUID.randomUUID(), Routing.SIP, "sip:bot@sip.example.com", Map.of(), recording,
                    "+14155550111"));
        }
        return agents;
    }

    private static Route.Agent agent(String type, String target, Map<String, String> parameters, boolean recording) {
        return new Route.Agent(UUID.randomUUID(), type, target, new LinkedHashMap<>(parameters), recording, null);
    }

    /** With connection overrides, whose {@code &} must be escaped in the TwiML like any other. */
    private static WebhookUrls urls(String base) {
        return new WebhookUrls(base, OVERRIDES);
    }
}
