package io.switchboard.call;

import com.twilio.twiml.TwiML;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Connect;
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
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TwiML that connects a call to its agent, built with twilio-java's builders.
 * <p>
 * The builders serialize through a new DOM and XSLT transformer on every call (hundreds of microseconds), far too
 * slow for a webhook that must answer in milliseconds under load. So each agent's TwiML is built once with
 * placeholders where the per-call values go ({@code callSid}, {@code from}, {@code to}), cached, and the escaped
 * values are substituted per call: the output is byte for byte what the builders produce for those values.
 */
@ApplicationScoped
public class CallTwiml {

    /** Random per process, so no agent parameter can contain a placeholder by accident. */
    private static final String NONCE = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private static final String CALL_SID = "SBCALLSID" + NONCE;
    private static final String FROM = "SBFROM" + NONCE;
    private static final String TO = "SBTO" + NONCE;
    private static final int MAX_CACHED = 10_000;

    static final String NO_AGENT_MESSAGE = "This number is not connected to an agent. Goodbye.";

    private final WebhookUrls urls;
    private final Map<Route.Agent, Template> templates = new ConcurrentHashMap<>();
    private final String noAgent;
    private final String reject;
    private final String hangup;

    public CallTwiml(WebhookUrls urls) {
        this.urls = urls;
        this.noAgent = xml(new VoiceResponse.Builder()
                .say(new Say.Builder(NO_AGENT_MESSAGE).build())
                .hangup(new Hangup.Builder().build())
                .build());
        this.reject = xml(new VoiceResponse.Builder().reject(new Reject.Builder().build()).build());
        this.hangup = xml(new VoiceResponse.Builder().hangup(new Hangup.Builder().build()).build());
    }

    /** Connects this call to the agent. */
    public String connect(Route.Agent agent, String callSid, String from, String to) {
        Template template = templates.get(agent);
        if (template == null) {
            if (templates.size() >= MAX_CACHED) {
                templates.clear();
            }
            template = Template.of(build(agent));
            templates.put(agent, template);
        }
        return template.render(callSid, from, to);
    }

    /**
     * An agent's TwiML cut at its placeholders: the fixed parts, and which value goes between each two. Rendered in
     * one pass, escaping as it copies.
     */
    private record Template(String[] parts, int[] slots, int length) {

        private static final String[] PLACEHOLDERS = {CALL_SID, FROM, TO};

        static Template of(String xml) {
            var parts = new ArrayList<String>();
            var slots = new ArrayList<Integer>();
            int from = 0;
            while (true) {
                int next = -1;
                int slot = -1;
                for (int i = 0; i < PLACEHOLDERS.length; i++) {
                    int at = xml.indexOf(PLACEHOLDERS[i], from);
                    if (at >= 0 && (next < 0 || at < next)) {
                        next = at;
                        slot = i;
                    }
                }
                if (next < 0) {
                    parts.add(xml.substring(from));
                    break;
                }
                parts.add(xml.substring(from, next));
                slots.add(slot);
                from = next + PLACEHOLDERS[slot].length();
            }
            return new Template(parts.toArray(String[]::new), slots.stream().mapToInt(Integer::intValue).toArray(),
                    xml.length());
        }

        String render(String callSid, String from, String to) {
            if (slots.length == 0) {
                return parts[0];
            }
            var out = new StringBuilder(length + 64);
            for (int i = 0; i < slots.length; i++) {
                out.append(parts[i]);
                appendEscaped(out, switch (slots[i]) {
                    case 0 -> callSid;
                    case 1 -> from;
                    default -> to;
                });
            }
            return out.append(parts[slots.length]).toString();
        }
    }

    /** A number that is imported but not assigned: say so and hang up. */
    public String noAgent() {
        return noAgent;
    }

    /** A number this service does not know. */
    public String reject() {
        return reject;
    }

    /** A call this service cannot place with an agent. */
    public String hangup() {
        return hangup;
    }

    /** What the builders produce for this agent and call, without the cache: the reference the tests compare to. */
    String build(Route.Agent agent, String callSid, String from, String to) {
        return xml(response(agent, callSid, from, to));
    }

    private String build(Route.Agent agent) {
        return xml(response(agent, CALL_SID, FROM, TO));
    }

    private VoiceResponse response(Route.Agent agent, String callSid, String from, String to) {
        var response = new VoiceResponse.Builder();
        switch (agent.type()) {
            case Routing.STREAM -> {
                if (agent.recording()) {
                    response.start(new Start.Builder().recording(new Recording.Builder()
                            .recordingStatusCallback(urls.recordingStatus())
                            .recordingStatusCallbackMethod(Recording.RecordingStatusCallbackMethod.POST)
                            .recordingStatusCallbackEvents(List.of(Recording.Event.IN_PROGRESS,
                                    Recording.Event.COMPLETED, Recording.Event.ABSENT))
                            .build()).build());
                }
                var stream = new Stream.Builder().url(agent.target())
                        .parameter(parameter("callSid", callSid))
                        .parameter(parameter("from", from))
                        .parameter(parameter("to", to))
                        .parameter(parameter("agentId", agent.id().toString()));
                agent.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(p -> stream.parameter(parameter(p.getKey(), p.getValue())));
                response.connect(new Connect.Builder().stream(stream.build()).build());
            }
            case Routing.SIP -> response.dial(dial(agent).sip(new Sip.Builder(agent.target()).build()).build());
            case Routing.NUMBER -> response.dial(dial(agent)
                    .number(new com.twilio.twiml.voice.Number.Builder(agent.target()).build()).build());
            default -> throw new IllegalStateException("unknown routing type " + agent.type());
        }
        return response.build();
    }

    private Dial.Builder dial(Route.Agent agent) {
        var dial = new Dial.Builder();
        if (agent.recording()) {
            dial.record(Dial.Record.RECORD_FROM_ANSWER_DUAL)
                    .recordingStatusCallback(urls.recordingStatus())
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

    /** XML escaping as the builders' serializer does it for attribute values, appended to {@code out}. */
    private static StringBuilder appendEscaped(StringBuilder out, String value) {
        if (value == null) {
            return out;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                default -> out.append(c);
            }
        }
        return out;
    }
}
