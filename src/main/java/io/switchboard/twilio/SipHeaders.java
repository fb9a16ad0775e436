package io.switchboard.twilio;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Custom headers of a {@code <Dial><Sip>} URI, written as Twilio reads them: {@code sip:agent@host?X-a=1&X-b=2}.
 * Twilio's rules: a custom header's name starts with {@code X-}, and never with {@code X-Twilio}
 * (https://www.twilio.com/docs/api/errors/32113, https://www.twilio.com/docs/api/errors/13252); a value's characters
 * other than letters and digits are percent-escaped (https://www.twilio.com/docs/api/errors/32110, 32112); and the
 * headers portion of the URI, everything after {@code ?}, must be fewer than 1,024 characters
 * (https://www.twilio.com/docs/api/errors/21227), beyond which Twilio drops headers it cannot stamp. Headers are
 * therefore added in order of importance, each whole or not at all, so that the ones that fit are the ones that
 * matter; {@link Result#dropped} names those left out.
 */
public final class SipHeaders {

    /** The longest headers portion Twilio takes: fewer than 1,024 characters. */
    public static final int MAX_LENGTH = 1023;
    public static final String PREFIX = "X-";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /** The service's own headers at their longest for a call between two E.164 numbers, with their separators. */
    static final int SERVICE_RESERVE = header("callSid", "CA" + "0".repeat(32)).length()
            + 1 + header("from", "+" + "9".repeat(15)).length()
            + 1 + header("to", "+" + "9".repeat(15)).length()
            + 1 + header("agentId", "00000000-0000-0000-0000-000000000000").length();

    private SipHeaders() {
    }

    /** The URI with the headers that fit, and the names of the ones that did not. */
    public record Result(String uri, List<String> dropped) {
    }

    /**
     * Appends {@code X-<name>=<value>} to {@code uri} for each header in order, after any headers the URI has
     * already, each only if it still fits within {@link #MAX_LENGTH}.
     */
    public static Result append(String uri, List<Map.Entry<String, String>> headers) {
        return append(uri, headers, MAX_LENGTH);
    }

    /** As {@link #append(String, List)}, within {@code limit} characters. */
    public static Result append(String uri, List<Map.Entry<String, String>> headers, int limit) {
        int query = uri.indexOf('?');
        var out = new StringBuilder(uri.length() + 256).append(uri);
        int used = query < 0 ? 0 : uri.length() - query - 1;
        var dropped = new ArrayList<String>(0);
        boolean hasQuery = query >= 0;
        for (var header : headers) {
            String piece = header(header.getKey(), header.getValue());
            int separator = hasQuery && used > 0 ? 1 : 0;
            if ((long) used + separator + piece.length() > limit) {
                dropped.add(header.getKey());
                continue;
            }
            if (!hasQuery) {
                out.append('?');
                hasQuery = true;
            } else if (separator == 1) {
                out.append('&');
            }
            out.append(piece);
            used += separator + piece.length();
        }
        return new Result(out.toString(), List.copyOf(dropped));
    }

    /** The characters after {@code ?} of a SIP URI: what Twilio counts against {@link #MAX_LENGTH}. */
    public static int headersLength(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? 0 : uri.length() - query - 1;
    }

    /**
     * What is left for an agent's own parameters in the headers of a call to this URI, after the headers the URI
     * has already and the service's own at their longest.
     */
    public static int agentBudget(String uri) {
        int existing = headersLength(uri);
        return MAX_LENGTH - existing - (existing > 0 ? 1 : 0) - SERVICE_RESERVE;
    }

    /** The characters these parameters take as headers, each with its separator. */
    public static int length(Map<String, String> parameters) {
        int length = 0;
        for (var p : parameters.entrySet()) {
            length += 1 + header(p.getKey(), p.getValue()).length();
        }
        return length;
    }

    /** A name Twilio would not stamp as a header once prefixed with {@code X-}: one starting with "Twilio". */
    public static boolean isRefusedName(String name) {
        return name.regionMatches(true, 0, "twilio", 0, 6);
    }

    /** {@code X-<name>=<value>}, the value percent-encoded. */
    static String header(String name, String value) {
        return PREFIX + name + "=" + encode(value);
    }

    /**
     * Percent-encodes the UTF-8 bytes of every character but letters, digits and {@code - _ . ~} (which a SIP URI
     * header value takes as they are, RFC 3261 section 25.1), so a value can hold any text, {@code + ; & = ?} and
     * spaces included, and not one byte of it changes the URI's structure.
     */
    public static String encode(String value) {
        if (value == null) {
            return "";
        }
        var out = new StringBuilder(value.length() + 16);
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || c == '.' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            }
        }
        return out.toString();
    }
}
