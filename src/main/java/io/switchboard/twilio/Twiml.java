package io.switchboard.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A TwiML element, written byte for byte as twilio-java's builders write it through their DOM and the JDK's XML
 * serializer, without the SDK on the class path: the declaration with no line break after it, attributes sorted by
 * name, an element without content closed as {@code <Hangup/>}, and the serializer's escaping, which is not the same
 * for attribute values as for text (see {@link #appendAttributeValue}).
 * <p>
 * A character XML 1.0 does not allow (a control other than tab, line feed and carriage return; an unpaired surrogate;
 * U+FFFE, U+FFFF) is written as U+FFFD, the replacement character, where the builders would refuse the document or
 * write one no parser reads: whatever a caller sent or an old row holds, Twilio gets a document it can read. Stored
 * settings are refused at the API instead ({@link #isAllowedInXml}), so only per-call values are ever replaced.
 */
public final class Twiml {

    public static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    /** What a character XML does not allow is written as. */
    public static final char REPLACEMENT = '\uFFFD';

    private final String name;
    private final String text;
    /** Sorted, because the DOM keeps an element's attributes sorted by name and the serializer writes them so. */
    private final Map<String, String> attributes = new TreeMap<>();
    private final List<Twiml> children = new ArrayList<>();

    private Twiml(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** An element with no content yet. */
    public static Twiml element(String name) {
        return new Twiml(name, null);
    }

    /** An element whose content starts with this text (none if null or empty, as the builders write it). */
    public static Twiml element(String name, String text) {
        return new Twiml(name, text);
    }

    public static Twiml response() {
        return element("Response");
    }

    public static Twiml say(String text) {
        return element("Say", text);
    }

    public static Twiml hangup() {
        return element("Hangup");
    }

    public static Twiml reject() {
        return element("Reject");
    }

    public static Twiml start() {
        return element("Start");
    }

    public static Twiml recording() {
        return element("Recording");
    }

    public static Twiml connect() {
        return element("Connect");
    }

    public static Twiml stream(String url) {
        return element("Stream").attribute("url", url);
    }

    public static Twiml parameter(String name, String value) {
        return element("Parameter").attribute("name", name).attribute("value", value);
    }

    public static Twiml dial() {
        return element("Dial");
    }

    /** The builders take the URI as a {@link URI} and write none when it does not parse: no text, then. */
    public static Twiml sip(String uri) {
        return element("Sip", uriOrNull(uri));
    }

    public static Twiml number(String number) {
        return element("Number", number);
    }

    public static Twiml message(String body) {
        return element("Message", body);
    }

    /** Sets an attribute; a null value leaves it out, as the builders do. */
    public Twiml attribute(String name, String value) {
        if (value != null) {
            attributes.put(name, value);
        } else {
            attributes.remove(name);
        }
        return this;
    }

    /**
     * The recording attributes of {@code <Dial>} and {@code <Recording>}: where and how Twilio reports recordings. The
     * builders of {@code <Dial>} take the URL as a {@link URI} and leave it out when it does not parse; so does this.
     */
    public Twiml recordingStatusCallback(String url, String method, List<String> events) {
        return attribute("recordingStatusCallback", name.equals("Dial") ? uriOrNull(url) : url)
                .attribute("recordingStatusCallbackMethod", method)
                .attribute("recordingStatusCallbackEvent", String.join(" ", events));
    }

    /**
     * The {@code action} of {@code <Connect>} or {@code <Dial>}: the builders take it as a {@link URI} and leave it
     * out when it does not parse; so does this.
     */
    public Twiml action(String url) {
        return attribute("action", uriOrNull(url));
    }

    /** The {@code referUrl} of {@code <Dial>}: left out, as the builders do, when it does not parse as a URI. */
    public Twiml referUrl(String url) {
        return attribute("referUrl", uriOrNull(url));
    }

    public static Twiml conversationRelay(String url) {
        return element("ConversationRelay").attribute("url", url);
    }

    public Twiml child(Twiml child) {
        children.add(child);
        return this;
    }

    /** The whole document with this element as its root. */
    public String toXml() {
        var out = new StringBuilder(256).append(DECLARATION);
        write(out);
        return out.toString();
    }

    private void write(StringBuilder out) {
        out.append('<').append(name);
        attributes.forEach((key, value) -> appendAttributeValue(out.append(' ').append(key).append("=\""), value)
                .append('"'));
        boolean hasText = text != null && !text.isEmpty();
        if (!hasText && children.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        if (hasText) {
            appendEscaped(out, text, false);
        }
        children.forEach(child -> child.write(out));
        out.append("</").append(name).append('>');
    }

    /**
     * Appends {@code value} escaped as the serializer escapes an attribute value: {@code & < > "} as entities; tab,
     * line feed, carriage return and characters beyond the Basic Multilingual Plane as character references; the rest
     * as it is. (In text it leaves quotes, tabs and line feeds alone, but writes U+007F to U+009F as references.)
     */
    public static StringBuilder appendAttributeValue(StringBuilder out, String value) {
        return appendEscaped(out, value, true);
    }

    private static StringBuilder appendEscaped(StringBuilder out, String value, boolean attribute) {
        int length = value.length();
        int copied = 0;
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c >= ' ' && c <= '~' && c != '&' && c != '<' && c != '>' && c != '"') {
                continue;
            }
            String entity = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> attribute ? "&quot;" : null;
                default -> null;
            };
            boolean allowed = entity != null || isAllowedAt(value, i);
            int reference = entity == null && allowed ? reference(value, i, attribute) : -1;
            if (entity == null && allowed && reference < 0) {
                continue;
            }
            out.append(value, copied, i);
            if (entity != null) {
                out.append(entity);
            } else if (!allowed) {
                out.append(REPLACEMENT);
            } else {
                out.append("&#").append(reference).append(';');
            }
            if (reference > Character.MAX_VALUE) {
                i++;
            }
            copied = i + 1;
        }
        return out.append(value, copied, length);
    }

    /** Whether XML 1.0 allows every character of {@code value}, so that it is written as it is meant. */
    public static boolean isAllowedInXml(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowedAt(value, i)) {
                return false;
            }
            if (Character.isHighSurrogate(value.charAt(i))) {
                i++;
            }
        }
        return true;
    }

    /**
     * Whether the character at {@code i} is one XML 1.0 allows: tab, line feed, carriage return, U+0020 to U+FFFD
     * but for surrogates, and a high surrogate followed by a low one (read at the high one, where the pair starts).
     */
    private static boolean isAllowedAt(String value, int i) {
        char c = value.charAt(i);
        if (c < ' ') {
            return c == '\t' || c == '\n' || c == '\r';
        }
        if (Character.isHighSurrogate(c)) {
            return i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1));
        }
        return !Character.isLowSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }

    /** The code point to write as a character reference at {@code i}, or -1 to write the character as it is. */
    private static int reference(String value, int i, boolean attribute) {
        char c = value.charAt(i);
        if (c == '\t' || c == '\n') {
            return attribute ? c : -1;
        }
        if (c == '\r') {
            return c;
        }
        if (c >= '\u007f' && c <= '\u009f') {
            return attribute ? -1 : c;
        }
        if (Character.isHighSurrogate(c)) {
            return Character.toCodePoint(c, value.charAt(i + 1));
        }
        return -1;
    }

    /** The value if {@link URI} parses it (its text is then the value unchanged), else null. */
    private static String uriOrNull(String value) {
        if (value == null) {
            return null;
        }
        try {
            new URI(value);
            return value;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
