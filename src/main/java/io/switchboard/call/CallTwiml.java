package io.switchboard.call;

import io.switchboard.agent.Routing;
import io.switchboard.common.LogText;
import io.switchboard.routing.Route;
import io.switchboard.twilio.SipHeaders;
import io.switchboard.twilio.Twiml;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The TwiML that connects a call to its agent, written with {@link Twiml}: byte for byte what twilio-java's builders
 * produce (the tests compare against them). {@link #connect} is the one answer to "the agent's TwiML for this call",
 * for inbound and outbound calls and for whatever returns a call to its agent; {@link #fallback} is where the call
 * goes when the agent cannot be reached.
 * <p>
 * A webhook must answer in milliseconds under load, so each agent's TwiML is written once with placeholders where the
 * per-call values go ({@code callSid}, {@code from}, {@code to}), cached, and the escaped values are substituted per
 * call in one pass.
 * <p>
 * Every route's verb has an {@code action}, the {@link WebhookEndpoint#VOICE_AGENT_ACTION} of its agent, which
 * Twilio requests when the verb ends: {@link AgentActionWebhook} sends a call whose agent could not be reached to the
 * fallback. A SIP agent gets the call's values and the parameters as {@code X-} headers of its URI
 * ({@link SipHeaders}), within Twilio's limit: a call whose headers would not fit is written whole, leaving out the
 * parameters that do not.
 */
@ApplicationScoped
public class CallTwiml {

    private static final Logger LOG = Logger.getLogger(CallTwiml.class);
    /** Random per process, so no agent parameter can contain a placeholder by accident. */
    private static final String NONCE = HexFormat.of().formatHex(new SecureRandom().generateSeed(6));
    private static final String CALL_SID = "SBCALLSID" + NONCE;
    private static final String FROM = "SBFROM" + NONCE;
    private static final String TO = "SBTO" + NONCE;
    private static final int MAX_CACHED = 10_000;
    private static final List<String> RECORDING_EVENTS = List.of("in-progress", "completed", "absent");

    static final String NO_AGENT_MESSAGE = "This number is not connected to an agent. Goodbye.";
    static final String UNREACHABLE_MESSAGE = "Sorry, we cannot connect your call right now. Please call again later."
            + " Goodbye.";

    private final WebhookUrls urls;
    private final Map<Route.Agent, Template> templates = new ConcurrentHashMap<>();
    private final String noAgent;
    private final String reject;
    private final String hangup;
    private final String unreachable;

    public CallTwiml(WebhookUrls urls) {
        this.urls = urls;
        this.noAgent = Twiml.response().child(Twiml.say(NO_AGENT_MESSAGE)).child(Twiml.hangup()).toXml();
        this.reject = Twiml.response().child(Twiml.reject()).toXml();
        this.hangup = Twiml.response().child(Twiml.hangup()).toXml();
        this.unreachable = Twiml.response().child(Twiml.say(UNREACHABLE_MESSAGE)).child(Twiml.hangup()).toXml();
    }

    /** The agent's TwiML for this call: connects it to the agent. */
    public String connect(Route.Agent agent, String callSid, String from, String to) {
        Template template = templates.get(agent);
        if (template == null) {
            if (templates.size() >= MAX_CACHED) {
                templates.clear();
            }
            template = Template.of(build(agent), sipFixedLength(agent));
            templates.put(agent, template);
        }
        String rendered = template.render(callSid, from, to);
        return rendered != null ? rendered : build(agent, callSid, from, to);
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
        return build(agent.withParameters(parameters), callSid, from, to);
    }

    /**
     * Where a call goes when its agent could not be reached: a {@code <Dial>} to the agent's transfer number (whose
     * own end is answered by {@link #afterFallback}), or, without one, a short message and a hang-up.
     */
    public String fallback(Route.Agent agent) {
        if (agent == null || agent.transferNumber() == null) {
            return unreachable;
        }
        return Twiml.response().child(Twiml.dial().action(urls.agentFallbackAction(agent.id().toString()))
                .child(Twiml.number(agent.transferNumber()))).toXml();
    }

    /** The message and hang-up of a call that neither its agent nor its transfer number took. */
    public String unreachable() {
        return unreachable;
    }

    /**
     * An agent's TwiML cut at its placeholders: the fixed parts, and which value goes between each two. Rendered in
     * one pass, escaping as it copies. The placeholders stand only in attribute values and in the headers of a SIP
     * URI, and are letters and digits, which escaping and percent-encoding leave as they are. {@code sipFixed}: for
     * a SIP agent, the length of the URI's headers without the placeholders, so that a call whose values would take
     * them past Twilio's limit is told apart (rendered as null, and written whole); -1 for the other types.
     */
    private record Template(String[] parts, int[] slots, int length, int sipFixed) {

        private static final String[] PLACEHOLDERS = { CALL_SID, FROM, TO };

        static Template of(String xml, int sipFixed) {
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
                    xml.length(), sipFixed);
        }

        /** The call's TwiML; null for a SIP agent's call whose headers would not fit. */
        String render(String callSid, String from, String to) {
            if (slots.length == 0) {
                return parts[0];
            }
            String[] values = { callSid, from, to };
            if (sipFixed >= 0) {
                int total = sipFixed;
                for (int i = 0; i < values.length; i++) {
                    values[i] = SipHeaders.encode(values[i]);
                    total += values[i].length();
                }
                if (total > SipHeaders.MAX_LENGTH) {
                    return null;
                }
            }
            var out = new StringBuilder(length + 64);
            for (int i = 0; i < slots.length; i++) {
                out.append(parts[i]);
                String value = values[slots[i]];
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

    /** A call this service cannot place with an agent; also the end of a call whose agent ended it. */
    public String hangup() {
        return hangup;
    }

    /** This agent's TwiML for this call written whole, without the template: what the template must reproduce. */
    String build(Route.Agent agent, String callSid, String from, String to) {
        return response(agent, callSid, from, to, true).toXml();
    }

    private String build(Route.Agent agent) {
        return response(agent, CALL_SID, FROM, TO, false).toXml();
    }

    /** The length of a SIP agent's headers in its template without the placeholders; -1 for the other types. */
    private static int sipFixedLength(Route.Agent agent) {
        if (!Routing.SIP.equals(agent.type())) {
            return -1;
        }
        String uri = SipHeaders.append(agent.target(), values(agent, CALL_SID, FROM, TO), Integer.MAX_VALUE).uri();
        return SipHeaders.headersLength(uri) - CALL_SID.length() - FROM.length() - TO.length();
    }

    /**
     * What the agent is handed about the call, in order of importance: the call's sid, from, to and the agent's id,
     * then the parameters by name. As {@code <Parameter>}s of a stream or ConversationRelay, as headers of a SIP URI.
     */
    private static List<Map.Entry<String, String>> values(Route.Agent agent, String callSid, String from, String to) {
        var values = new ArrayList<Map.Entry<String, String>>(4 + agent.parameters().size());
        values.add(new SimpleImmutableEntry<>("callSid", callSid));
        values.add(new SimpleImmutableEntry<>("from", from));
        values.add(new SimpleImmutableEntry<>("to", to));
        values.add(new SimpleImmutableEntry<>("agentId", agent.id().toString()));
        agent.parameters().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(p -> values.add(new SimpleImmutableEntry<>(p.getKey(), p.getValue())));
        return values;
    }

    /** {@code limited}: leave out the SIP headers beyond Twilio's limit (false only for the template). */
    private Twiml response(Route.Agent agent, String callSid, String from, String to, boolean limited) {
        var response = Twiml.response();
        switch (agent.type()) {
            case Routing.STREAM, Routing.CONVERSATION_RELAY -> {
                if (agent.recording()) {
                    response.child(Twiml.start().child(Twiml.recording().recordingStatusCallback(urls.recordingStatus(),
                            "POST", RECORDING_EVENTS)));
                }
                Twiml noun = Routing.STREAM.equals(agent.type()) ? Twiml.stream(agent.target())
                        : conversationRelay(agent);
                values(agent, callSid, from, to).forEach(p -> noun.child(Twiml.parameter(p.getKey(), p.getValue())));
                response.child(Twiml.connect().action(urls.agentAction(agent.id().toString())).child(noun));
            }
            case Routing.SIP -> response.child(referable(dial(agent), agent).child(Twiml.sip(sipUri(agent, callSid,
                    from, to, limited))));
            case Routing.NUMBER -> response.child(dial(agent).child(Twiml.number(agent.target())));
            default -> throw new IllegalStateException("unknown routing type " + agent.type());
        }
        return response;
    }

    /** The ConversationRelay attributes the agent was given, each under its own name. */
    private static Twiml conversationRelay(Route.Agent agent) {
        var relay = Twiml.conversationRelay(agent.target());
        agent.settings().forEach(relay::attribute);
        return relay;
    }

    private static String sipUri(Route.Agent agent, String callSid, String from, String to, boolean limited) {
        var values = values(agent, callSid, from, to);
        if (!limited) {
            // The template's placeholders are longer than most values: it is written with every header, and
            // rendered only for the calls they all fit.
            return SipHeaders.append(agent.target(), values, Integer.MAX_VALUE).uri();
        }
        var result = SipHeaders.append(agent.target(), values);
        if (!result.dropped().isEmpty()) {
            LOG.warnf("agent %s: call %s: SIP headers %s left out, beyond the %d characters Twilio takes", agent.id(),
                    LogText.safe(callSid), result.dropped(), SipHeaders.MAX_LENGTH);
        }
        return result.uri();
    }

    /**
     * A SIP agent may hand the caller on with a SIP REFER: Twilio then requests the dial's {@code referUrl}, whose
     * answer says how to handle the transfer (https://www.twilio.com/docs/voice/twiml/dial#referurl), here
     * {@link ReferWebhook}. {@code answerOnBridge} keeps the agent's leg until the target answers, so that a REFER this
     * service refuses (its answer is not TwiML) leaves the caller with the agent rather than cut off: "if the call or
     * Application fetch fails, UserA's call will stay connected with AgentA"
     * (https://www.twilio.com/docs/voice/api/refer-to-twilio).
     */
    private Twiml referable(Twiml dial, Route.Agent agent) {
        return dial.attribute("answerOnBridge", "true")
                .referUrl(urls.referUrl(agent.id().toString()))
                .attribute("referMethod", "POST");
    }

    private Twiml dial(Route.Agent agent) {
        var dial = Twiml.dial().action(urls.agentAction(agent.id().toString()));
        if (agent.recording()) {
            dial.attribute("record", "record-from-answer-dual")
                    .recordingStatusCallback(urls.recordingStatus(), "POST", RECORDING_EVENTS);
        }
        return dial;
    }
}
