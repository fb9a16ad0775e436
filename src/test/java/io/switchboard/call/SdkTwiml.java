package io.switchboard.call;

import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
import com.twilio.twiml.voice.ConversationRelay;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Parameter;
import com.twilio.twiml.voice.Recording;
import com.twilio.twiml.voice.Reject;
import com.twilio.twiml.voice.Say;
import com.twilio.twiml.voice.Sip;
import com.twilio.twiml.voice.Start;
import com.twilio.twiml.voice.Stream;
import io.switchboard.agent.Routing;
import io.switchboard.routing.Route;
import io.switchboard.twilio.WebhookUrls;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The voice TwiML twilio-java's builders produce: the reference {@link CallTwiml} must equal byte for byte. */
final class SdkTwiml {

    private SdkTwiml() {
    }

    static String connect(WebhookUrls urls, Route.Agent agent, String callSid, String from, String to) {
        String recordingStatusUrl = urls.recordingStatus();
        URI action = uriOrNull(urls.agentAction(agent.id().toString()));
        var response = new VoiceResponse.Builder();
        switch (agent.type()) {
            case Routing.STREAM, Routing.CONVERSATION_RELAY -> {
                if (agent.recording()) {
                    response.start(new Start.Builder().recording(new Recording.Builder()
                            .recordingStatusCallback(recordingStatusUrl)
                            .recordingStatusCallbackMethod(Recording.RecordingStatusCallbackMethod.POST)
                            .recordingStatusCallbackEvents(List.of(Recording.Event.IN_PROGRESS,
                                    Recording.Event.COMPLETED, Recording.Event.ABSENT))
                            .build()).build());
                }
                var connect = new Connect.Builder();
                if (action != null) {
                    connect.action(action);
                }
                if (Routing.STREAM.equals(agent.type())) {
                    var stream = new Stream.Builder().url(agent.target());
                    values(agent, callSid, from, to).forEach(p -> stream.parameter(parameter(p[0], p[1])));
                    connect.stream(stream.build());
                } else {
                    var relay = new ConversationRelay.Builder().url(agent.target());
                    var settings = agent.settings();
                    relay.welcomeGreeting(settings.get("welcomeGreeting")).language(settings.get("language"))
                            .voice(settings.get("voice")).ttsProvider(settings.get("ttsProvider"))
                            .transcriptionProvider(settings.get("transcriptionProvider"))
                            .interruptible(settings.get("interruptible"))
                            .welcomeGreetingInterruptible(settings.get("welcomeGreetingInterruptible"));
                    if (settings.containsKey("dtmfDetection")) {
                        relay.dtmfDetection(Boolean.valueOf(settings.get("dtmfDetection")));
                    }
                    values(agent, callSid, from, to).forEach(p -> relay.parameter(parameter(p[0], p[1])));
                    connect.conversationRelay(relay.build());
                }
                response.connect(connect.build());
            }
            case Routing.SIP -> response.dial(dial(recordingStatusUrl, action, agent).answerOnBridge(true)
                    .referUrl(uriOrNull(urls.referUrl(agent.id().toString())))
                    .referMethod(com.twilio.http.HttpMethod.POST)
                    .sip(new Sip.Builder(sipUri(agent, callSid, from, to)).build()).build());
            case Routing.NUMBER -> response.dial(dial(recordingStatusUrl, action, agent)
                    .number(new com.twilio.twiml.voice.Number.Builder(agent.target()).build()).build());
            default -> throw new IllegalStateException("unknown routing type " + agent.type());
        }
        return xml(response.build());
    }

    /** The fallback to a transfer number: a {@code <Dial>} whose action names the agent's fallback step. */
    static String fallback(WebhookUrls urls, String agentId, String transferNumber) {
        var dial = new Dial.Builder();
        URI action = uriOrNull(urls.agentFallbackAction(agentId));
        if (action != null) {
            dial.action(action);
        }
        return xml(new VoiceResponse.Builder()
                .dial(dial.number(new com.twilio.twiml.voice.Number.Builder(transferNumber).build()).build())
                .build());
    }

    static String unreachable() {
        return xml(new VoiceResponse.Builder()
                .say(new Say.Builder(CallTwiml.UNREACHABLE_MESSAGE).build())
                .hangup(new Hangup.Builder().build())
                .build());
    }

    /** What the agent is handed, in order: the call's values, its id, then the parameters by name. */
    private static List<String[]> values(Route.Agent agent, String callSid, String from, String to) {
        var values = new ArrayList<String[]>();
        values.add(new String[] { "callSid", callSid });
        values.add(new String[] { "from", from });
        values.add(new String[] { "to", to });
        values.add(new String[] { "agentId", agent.id().toString() });
        agent.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(p -> values.add(new String[] { p.getKey(), p.getValue() }));
        return values;
    }

    /**
     * The agent's URI with the values as {@code X-} headers, each percent-encoded as a form would encode it but for
     * spaces, {@code *} and {@code ~}, and only while the headers stay under Twilio's 1,024 characters: written here
     * on its own, not with the service's encoder, so that the two are compared.
     */
    static String sipUri(Route.Agent agent, String callSid, String from, String to) {
        var uri = new StringBuilder(agent.target());
        int query = agent.target().indexOf('?');
        int used = query < 0 ? 0 : agent.target().length() - query - 1;
        boolean hasQuery = query >= 0;
        for (String[] value : values(agent, callSid, from, to)) {
            String encoded = URLEncoder.encode(value[1] == null ? "" : value[1], StandardCharsets.UTF_8)
                    .replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
            String header = "X-" + value[0] + "=" + encoded;
            int separator = hasQuery && used > 0 ? 1 : 0;
            if (used + separator + header.length() > 1023) {
                continue;
            }
            uri.append(hasQuery ? (separator == 1 ? "&" : "") : "?").append(header);
            hasQuery = true;
            used += separator + header.length();
        }
        return uri.toString();
    }

    private static URI uriOrNull(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            return null;
        }
    }

    static String noAgent() {
        return xml(new VoiceResponse.Builder()
                .say(new Say.Builder(CallTwiml.NO_AGENT_MESSAGE).build())
                .hangup(new Hangup.Builder().build())
                .build());
    }

    static String reject() {
        return xml(new VoiceResponse.Builder().reject(new Reject.Builder().build()).build());
    }

    static String hangup() {
        return xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
    }

    private static Dial.Builder dial(String recordingStatusUrl, URI action, Route.Agent agent) {
        var dial = new Dial.Builder();
        if (action != null) {
            dial.action(action);
        }
        if (agent.recording()) {
            dial.record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
                    .recordingStatusCallback(recordingStatusUrl)
                    .recordingStatusCallbackMethod(com.twilio.http.HttpMethod.POST)
                    .recordingStatusCallbackEvents(List.of(Dial.RecordingEvent.IN_PROGRESS,
                            Dial.RecordingEvent.COMPLETED, Dial.RecordingEvent.ABSENT));
        }
        return dial;
    }

    private static Parameter parameter(String name, String value) {
        return new Parameter.Builder().name(name).value(value).build();
    }

    private static String xml(TwiML twiml) {
        try {
            return twiml.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("TwiML could not be serialized", e);
        }
    }
}
