package io.switchboard.simulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The endpoints a call's {@code <Connect>} or {@code <Dial>} reaches, and the parameters Twilio adds to the verb's
 * {@code action} request when that leg ends. Designated failures, so tests can make an agent unreachable:
 * <ul>
 * <li>a stream or ConversationRelay URL whose host ends in {@code .invalid} (a name that never resolves, RFC 2606)
 * does not connect;
 * <li>a {@code <Dial>} number, or the user part of a SIP URI, of {@link CallOutcomes} ({@code +15005551xxx} busy,
 * {@code +15005552xxx} no answer, {@code +15005553xxx} failed) ends so, and so does a SIP URI whose host ends in
 * {@code .invalid} (failed).
 * </ul>
 * Parameters: {@code <Dial>}'s DialCallStatus, DialCallSid, DialCallDuration
 * (https://www.twilio.com/docs/voice/twiml/dial#attributes-action), with DialSipCallId and DialSipResponseCode for a
 * SIP leg (https://www.twilio.com/docs/voice/twiml/sip); ConversationRelay's SessionId, SessionStatus,
 * SessionDuration, and on a failure ErrorCode 64102 (https://www.twilio.com/docs/api/errors/64102); a stream's
 * StreamSid, and on a failure the ErrorCode of its connection (31920, https://www.twilio.com/docs/api/errors/31920)
 * with the StreamError text its status callbacks carry (https://www.twilio.com/docs/voice/twiml/stream). Twilio's
 * {@code <Connect>} page names no stream parameters of the action, so a failed stream carries both forms.
 */
final class AgentEndpoints {

    private AgentEndpoints() {
    }

    /** What the action request adds when the verb's endpoint cannot be reached; null when it can. */
    static Map<String, List<String>> failure(Twiml.AgentVerb verb) {
        var params = new LinkedHashMap<String, List<String>>();
        switch (verb.noun()) {
            case "Stream" -> {
                if (!invalidHost(verb.target())) {
                    return null;
                }
                put(params, "StreamSid", Sids.next("MZ"));
                put(params, "StreamError", "Stream - WebSocket - Handshake Error");
                put(params, "ErrorCode", "31920");
            }
            case "ConversationRelay" -> {
                if (!invalidHost(verb.target())) {
                    return null;
                }
                put(params, "SessionId", Sids.next("VX"));
                put(params, "SessionStatus", "failed");
                put(params, "SessionDuration", "0");
                put(params, "ErrorCode", "64102");
                put(params, "ErrorMessage", "ConversationRelay: Unable to Connect to Websocket URL");
            }
            case "Sip" -> {
                String status = invalidHost(verb.target()) ? "failed"
                        : CallOutcomes.of(sipUser(verb.target())).unansweredStatus;
                if (status == null) {
                    return null;
                }
                put(params, "DialCallStatus", status);
                put(params, "DialCallSid", Sids.next("CA"));
                put(params, "DialSipCallId", Sids.next("") + "@sip.twilio.com");
                put(params, "DialSipResponseCode", switch (status) {
                    case "busy" -> "486";
                    case "no-answer" -> "480";
                    default -> "503";
                });
            }
            case "Number", "Dial" -> {
                String status = CallOutcomes.of(verb.target()).unansweredStatus;
                if (status == null) {
                    return null;
                }
                put(params, "DialCallStatus", status);
                put(params, "DialCallSid", Sids.next("CA"));
            }
            default -> {
                return null;
            }
        }
        return params;
    }

    /** What the action request adds when the reached endpoint ended its side on purpose after {@code connected}. */
    static Map<String, List<String>> ended(Twiml.AgentVerb verb, Instant connected) {
        var params = new LinkedHashMap<String, List<String>>();
        String seconds = Long.toString(Duration.between(connected, Instant.now()).toSeconds());
        switch (verb.noun()) {
            case "Stream" -> put(params, "StreamSid", Sids.next("MZ"));
            case "ConversationRelay" -> {
                put(params, "SessionId", Sids.next("VX"));
                put(params, "SessionStatus", "completed");
                put(params, "SessionDuration", seconds);
            }
            default -> {
                put(params, "DialCallStatus", "completed");
                put(params, "DialCallSid", Sids.next("CA"));
                put(params, "DialCallDuration", seconds);
            }
        }
        return params;
    }

    private static boolean invalidHost(String url) {
        try {
            String host = URI.create(url).getHost();
            if (host == null && url.startsWith("sip")) {
                host = url.substring(url.indexOf('@') + 1).split("[;?:>]", 2)[0];
            }
            return host != null && host.toLowerCase(Locale.ROOT).endsWith(".invalid");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The user part of a SIP URI ({@code sip:+15005551001@host;…} → {@code +15005551001}). */
    private static String sipUser(String uri) {
        int colon = uri.indexOf(':');
        int at = uri.indexOf('@');
        return colon >= 0 && at > colon ? uri.substring(colon + 1, at) : "";
    }

    private static void put(Map<String, List<String>> params, String key, String value) {
        params.put(key, List.of(value));
    }
}
