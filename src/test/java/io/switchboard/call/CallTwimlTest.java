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

    private final CallTwiml twiml = new CallTwiml(URLS);

    @Test
    void everyRoutingTypeAndOptionAnswersWhatTheBuildersProduce() {
        for (WebhookUrls urls : List.of(URLS, URI_URLS)) {
            var twiml = new CallTwiml(urls);
            for (Route.Agent agent : agents()) {
                // Twice, so the second round renders from the cached template.
                for (int round = 0; round < 2; round++) {
                    for (String[] call : CALLS) {
                        String expected = SdkTwiml.connect(urls.recordingStatus(), agent, call[0], call[1], call[2]);
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
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Dial record=\"record-from-answer-dual\""
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
            assertThat(answer).isEqualTo(SdkTwiml.connect(URLS.recordingStatus(), replaced, "CA1", "+15105550123",
                    "+14155550100"));
            assertThat(parameters(answer)).containsEntry("tenant", "a\uFFFDb");
        }

        var stream = agent(Routing.STREAM, "wss://agents.example.com/media", Map.of(), false);
        for (String[] call : List.of(
                new String[] { "CA\u0000\r\n1", "+1510555\u00000123", "+1415\uD83D", "CA\uFFFD\r\n1",
                    "+1510555\uFFFD0123", "+1415\uFFFD" },
                new String[] { "CA\u001b[2J", "\uDE00+1", "\uFFFF", "CA\uFFFD[2J", "\uFFFD+1", "\uFFFD" })) {
            String answer = twiml.connect(stream, call[0], call[1], call[2]);
            assertThat(answer).isEqualTo(SdkTwiml.connect(URLS.recordingStatus(), stream, call[3], call[4], call[5]))
                    .isEqualTo(twiml.build(stream, call[0], call[1], call[2]));
            assertThat(parameters(answer)).containsEntry("callSid", call[3]).containsEntry("from", call[4])
                    .containsEntry("to", call[5]);
        }
        // The replaced values left the template as it was.
        assertThat(twiml.connect(stream, "CA1", "+15105550123", "+14155550100"))
                .isEqualTo(SdkTwiml.connect(URLS.recordingStatus(), stream, "CA1", "+15105550123", "+14155550100"));
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
