package io.switchboard.call;

import io.switchboard.agent.Routing;
import io.switchboard.routing.Route;
import io.switchboard.twilio.Twiml;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TwiML that connects a call to its agent, written with {@link Twiml}: byte for byte what twilio-java's builders
 * produce (the tests compare against them).
 * <p>
 * A webhook must answer in milliseconds under load, so each agent's TwiML is written once with placeholders where the
 * per-call values go ({@code callSid}, {@code from}, {@code to}), cached, and the escaped values are substituted per
 * call in one pass.
 */
@ApplicationScoped
public class CallTwiml {

    /** Random per process, so no agent parameter can contain a placeholder by accident. */
    private static final String NONCE = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private static final String CALL_SID = "SBCALLSID" + NONCE;
    private static final String FROM = "SBFROM" + NONCE;
    private static final String TO = "SBTO" + NONCE;
    private static final int MAX_CACHED = 10_000;
    private static final List<String> RECORDING_EVENTS = List.of("in-progress", "completed", "absent");

    static final String NO_AGENT_MESSAGE = "This number is not connected to an agent. Goodbye.";

    private final WebhookUrls urls;
    private final Map<Route.Agent, Template> templates = new ConcurrentHashMap<>();
    private final String noAgent;
    private final String reject;
    private final String hangup;

    public CallTwiml(WebhookUrls urls) {
        this.urls = urls;
        this.noAgent = Twiml.response().child(Twiml.say(NO_AGENT_MESSAGE)).child(Twiml.hangup()).toXml();
        this.reject = Twiml.response().child(Twiml.reject()).toXml();
        this.hangup = Twiml.response().child(Twiml.hangup()).toXml();
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
     * Connects this outbound call to the agent with the call's own stream parameters over the agent's. A call with
     * parameters of its own (a target's name) is written whole: caching it would only fill the cache.
     */
    public String connect(Route.Agent agent, String callSid, String from, String to, Map<String, String> own) {
        if (own.isEmpty()) {
            return connect(agent, callSid, from, to);
        }
        var parameters = new HashMap<>(agent.parameters());
        parameters.putAll(own);
        var withOwn = new Route.Agent(agent.id(), agent.type(), agent.target(), parameters, agent.recording(),
                agent.transferNumber());
        return build(withOwn, callSid, from, to);
    }

    /**
     * An agent's TwiML cut at its placeholders: the fixed parts, and which value goes between each two. Rendered in
     * one pass, escaping as it copies. The placeholders stand only in attribute values, and are letters and digits,
     * which escaping leaves as they are.
     */
    private record Template(String[] parts, int[] slots, int length) {

        private static final String[] PLACEHOLDERS = { CALL_SID, FROM, TO };

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
                String value = switch (slots[i]) {
                    case 0 -> callSid;
                    case 1 -> from;
                    default -> to;
                };
                if (value != null) {
                    Twiml.appendAttributeValue(out, value);
                }
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

    /** This agent's TwiML for this call written whole, without the template: what the template must reproduce. */
    String build(Route.Agent agent, String callSid, String from, String to) {
        return response(agent, callSid, from, to).toXml();
    }

    private String build(Route.Agent agent) {
        return response(agent, CALL_SID, FROM, TO).toXml();
    }

    private Twiml response(Route.Agent agent, String callSid, String from, String to) {
        var response = Twiml.response();
        switch (agent.type()) {
            case Routing.STREAM -> {
                if (agent.recording()) {
                    response.child(Twiml.start().child(Twiml.recording().recordingStatusCallback(urls.recordingStatus(),
                            "POST", RECORDING_EVENTS)));
                }
                var stream = Twiml.stream(agent.target())
                        .child(Twiml.parameter("callSid", callSid))
                        .child(Twiml.parameter("from", from))
                        .child(Twiml.parameter("to", to))
                        .child(Twiml.parameter("agentId", agent.id().toString()));
                agent.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                        .forEach(p -> stream.child(Twiml.parameter(p.getKey(), p.getValue())));
                response.child(Twiml.connect().child(stream));
            }
            case Routing.SIP -> response.child(dial(agent).child(Twiml.sip(agent.target())));
            case Routing.NUMBER -> response.child(dial(agent).child(Twiml.number(agent.target())));
            default -> throw new IllegalStateException("unknown routing type " + agent.type());
        }
        return response;
    }

    private Twiml dial(Route.Agent agent) {
        var dial = Twiml.dial();
        if (agent.recording()) {
            dial.attribute("record", "record-from-answer-dual")
                    .recordingStatusCallback(urls.recordingStatus(), "POST", RECORDING_EVENTS);
        }
        return dial;
    }
}
