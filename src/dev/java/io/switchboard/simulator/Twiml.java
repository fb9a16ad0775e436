package io.switchboard.simulator;

import java.io.StringReader;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** The little the simulator reads from the TwiML the service answered: recordings, rejects, replies. */
final class Twiml {

    /** A recording the TwiML asked for; {@code callbackUrl} is null when the TwiML names none. */
    record RecordingRequest(String source, String callbackUrl, String callbackMethod, Set<String> events,
            int channels) {
    }

    /**
     * The verb that holds a call with another party ({@code <Connect>} or {@code <Dial>}), with its {@code action}
     * resolved (null for none) and what it connects to: {@code noun} {@code Stream}, {@code ConversationRelay},
     * {@code Number}, {@code Sip} (or {@code Dial} itself for a number written as the verb's text), {@code target}
     * the URL, number or SIP URI.
     */
    record AgentVerb(String verb, String action, String method, String noun, String target) {
    }

    /** A {@code <Message>} reply to an inbound SMS. */
    record Reply(String body, String to, String from, String statusCallback) {
    }

    private final Document document;
    private final String baseUrl;

    private Twiml(Document document, String baseUrl) {
        this.document = document;
        this.baseUrl = baseUrl;
    }

    /** Parses a TwiML answer; an empty or malformed answer reads as TwiML that asks for nothing. */
    static Twiml parse(String body, String baseUrl) {
        if (body == null || body.isBlank()) {
            return new Twiml(null, baseUrl);
        }
        try {
            var factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            var document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(body)));
            return new Twiml(document, baseUrl);
        } catch (Exception e) {
            return new Twiml(null, baseUrl);
        }
    }

    boolean isValid() {
        return document != null && "Response".equals(document.getDocumentElement().getTagName());
    }

    boolean rejects() {
        return isValid() && document.getElementsByTagName("Reject").getLength() > 0;
    }

    /**
     * Whether the call ends once this TwiML has run: Twilio hangs up when a call's TwiML runs out, which a
     * {@code <Connect>} or {@code <Dial>} holds open, and at once on {@code <Hangup/>}.
     */
    boolean endsCall() {
        if (!isValid()) {
            return true;
        }
        return document.getElementsByTagName("Hangup").getLength() > 0
                || (document.getElementsByTagName("Connect").getLength() == 0
                        && document.getElementsByTagName("Dial").getLength() == 0);
    }

    /** The first {@code <Connect>} or {@code <Dial>} of the answer, if it has one. */
    Optional<AgentVerb> agentVerb() {
        if (!isValid()) {
            return Optional.empty();
        }
        NodeList children = document.getDocumentElement().getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (!(children.item(i) instanceof Element verb)
                    || !("Connect".equals(verb.getTagName()) || "Dial".equals(verb.getTagName()))) {
                continue;
            }
            Element noun = firstElement(verb);
            String method = verb.getAttribute("method");
            String action = resolve(verb.getAttribute("action"));
            method = method.isEmpty() ? "POST" : method;
            if (noun == null) {
                return Optional.of(new AgentVerb(verb.getTagName(), action, method, verb.getTagName(),
                        verb.getTextContent().strip()));
            }
            String target = noun.hasAttribute("url") ? noun.getAttribute("url") : noun.getTextContent().strip();
            return Optional.of(new AgentVerb(verb.getTagName(), action, method, noun.getTagName(), target));
        }
        return Optional.empty();
    }

    /**
     * Where a SIP agent's REFER goes: the {@code referUrl} (null when the dial has none) and {@code referMethod} of
     * the {@code <Dial>} that reached it, and whether that dial has {@code answerOnBridge}
     * (https://www.twilio.com/docs/voice/api/refer-to-twilio).
     */
    record ReferDial(String url, String method, boolean answerOnBridge) {
    }

    /**
     * The referUrl of the first {@code <Dial>} of the answer when it dials a {@code <Sip>} noun: only a SIP leg can
     * send a REFER; empty for any other verb or noun.
     */
    Optional<ReferDial> referDial() {
        return agentVerb().filter(verb -> "Dial".equals(verb.verb()) && "Sip".equals(verb.noun())).map(verb -> {
            var dial = (Element) document.getElementsByTagName("Dial").item(0);
            String method = dial.getAttribute("referMethod");
            return new ReferDial(resolve(dial.getAttribute("referUrl")), method.isEmpty() ? "POST" : method,
                    "true".equals(dial.getAttribute("answerOnBridge")));
        });
    }

    private static Element firstElement(Element parent) {
        NodeList children = parent.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element element) {
                return element;
            }
        }
        return null;
    }

    List<RecordingRequest> recordings() {
        var requests = new ArrayList<RecordingRequest>();
        if (!isValid()) {
            return requests;
        }
        NodeList all = document.getElementsByTagName("*");
        for (int i = 0; i < all.getLength(); i++) {
            var element = (Element) all.item(i);
            String name = element.getTagName();
            String record = element.getAttribute("record");
            if ("Record".equals(name)) {
                requests.add(request(element, "RecordVerb", 1));
            } else if ("Recording".equals(name) && element.getParentNode() instanceof Element parent
                    && "Start".equals(parent.getTagName())) {
                requests.add(request(element, "StartCallRecordingTwiML",
                        "dual".equals(element.getAttribute("channels")) ? 2 : 1));
            } else if (!record.isEmpty() && !"false".equals(record) && !"do-not-record".equals(record)) {
                requests.add(request(element, name + "Verb", record.endsWith("-dual") ? 2 : 1));
            }
        }
        return requests;
    }

    List<Reply> replies() {
        var replies = new ArrayList<Reply>();
        if (!isValid()) {
            return replies;
        }
        NodeList messages = document.getElementsByTagName("Message");
        for (int i = 0; i < messages.getLength(); i++) {
            var message = (Element) messages.item(i);
            NodeList bodies = message.getElementsByTagName("Body");
            String body = bodies.getLength() > 0 ? bodies.item(0).getTextContent() : message.getTextContent();
            replies.add(new Reply(body.strip(), blankToNull(message.getAttribute("to")),
                    blankToNull(message.getAttribute("from")), resolve(message.getAttribute("statusCallback"))));
        }
        return replies;
    }

    /**
     * A {@code <Dial>} of one {@code <Number>} or {@code <Sip>}: where the dial's end is reported ({@code action},
     * resolved against the TwiML's URL, null for none), the caller ID the target sees (null: the caller's), and the
     * target leg's status callback with the events it asked for.
     */
    record DialRequest(String action, String method, String callerId, String target, String statusCallback,
            String statusCallbackMethod, Set<String> statusCallbackEvents, String url, String urlMethod) {
    }

    /** The first {@code <Dial>} to a number or SIP URI; empty when there is none (a conference, say). */
    java.util.Optional<DialRequest> dial() {
        if (!isValid()) {
            return java.util.Optional.empty();
        }
        NodeList dials = document.getElementsByTagName("Dial");
        for (int i = 0; i < dials.getLength(); i++) {
            var dial = (Element) dials.item(i);
            for (var noun = dial.getFirstChild(); noun != null; noun = noun.getNextSibling()) {
                if (noun instanceof Element e && ("Number".equals(e.getTagName()) || "Sip".equals(e.getTagName()))) {
                    String events = e.getAttribute("statusCallbackEvent");
                    String method = dial.getAttribute("method");
                    String callbackMethod = e.getAttribute("statusCallbackMethod");
                    String urlMethod = e.getAttribute("method");
                    return java.util.Optional.of(new DialRequest(resolve(dial.getAttribute("action")),
                            method.isEmpty() ? "POST" : method, blankToNull(dial.getAttribute("callerId")),
                            e.getTextContent().strip(), resolve(e.getAttribute("statusCallback")),
                            callbackMethod.isEmpty() ? "POST" : callbackMethod,
                            events.isBlank() ? Set.of("completed")
                                    : Arrays.stream(events.trim().split("[\\s,]+")).collect(Collectors.toSet()),
                            resolve(e.getAttribute("url")), urlMethod.isEmpty() ? "POST" : urlMethod));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The first {@code <Dial><Conference>}: the conference's name and how the call takes part, with the dial's
     * {@code action} and the conference's status callback resolved. Defaults as Twilio's: a participant starts the
     * conference on entering and does not end it on exit (https://www.twilio.com/docs/voice/twiml/conference).
     */
    Optional<Conferences.Request> conference() {
        if (!isValid()) {
            return Optional.empty();
        }
        NodeList dials = document.getElementsByTagName("Dial");
        for (int i = 0; i < dials.getLength(); i++) {
            var dial = (Element) dials.item(i);
            for (var noun = dial.getFirstChild(); noun != null; noun = noun.getNextSibling()) {
                if (noun instanceof Element e && "Conference".equals(e.getTagName())) {
                    String method = dial.getAttribute("method");
                    String callbackMethod = e.getAttribute("statusCallbackMethod");
                    return Optional.of(new Conferences.Request(e.getTextContent().strip(),
                            resolve(dial.getAttribute("action")), method.isEmpty() ? "POST" : method,
                            !"false".equals(e.getAttribute("startConferenceOnEnter")),
                            "true".equals(e.getAttribute("endConferenceOnExit")),
                            resolve(e.getAttribute("statusCallback")),
                            callbackMethod.isEmpty() ? "POST" : callbackMethod,
                            Conferences.events(e.getAttribute("statusCallbackEvent"))));
                }
            }
        }
        return Optional.empty();
    }

    private RecordingRequest request(Element element, String source, int channels) {
        String events = element.getAttribute("recordingStatusCallbackEvent");
        String method = element.getAttribute("recordingStatusCallbackMethod");
        return new RecordingRequest(source, resolve(element.getAttribute("recordingStatusCallback")),
                method.isEmpty() ? "POST" : method,
                events.isBlank() ? Set.of("completed") : Arrays.stream(events.trim().split("[\\s,]+"))
                        .collect(Collectors.toSet()),
                channels);
    }

    /** Relative callback URLs are relative to the URL the TwiML came from, as in Twilio. */
    private String resolve(String url) {
        if (url == null || url.isBlank()) {
            return null;
        }
        try {
            return baseUrl == null ? url : URI.create(baseUrl).resolve(url).toString();
        } catch (IllegalArgumentException e) {
            return url;
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
