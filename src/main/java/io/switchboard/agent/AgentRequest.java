package io.switchboard.agent;

import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;
import io.switchboard.twilio.SipHeaders;
import io.switchboard.twilio.Twiml;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An agent as a client writes it: the body of a create, and the merged result of a patch. */
public record AgentRequest(
        @Schema(required = true, description = "1 to 100 characters", example = "Front desk") String name,
        @Schema(required = true) Routing routing,
        @Schema(description = "Custom parameters passed to the stream, at most 20",
                example = "{\"tenant\": \"acme\"}") Map<String, String> parameters,
        @Schema(enumeration = {
            "off", "on" }, defaultValue = "off") String recording,
        @Schema(description = "Where a transfer goes when the request names no number",
                example = "+14155551234") String transferNumber) {

    static final int MAX_PARAMETERS = 20;
    static final int MAX_PARAMETER_VALUE = 500;
    /** The service sets these on every stream itself. */
    static final Set<String> RESERVED_PARAMETERS = Set.of("callSid", "from", "to", "agentId");

    /**
     * Every call's TwiML carries these settings: a character XML does not allow would reach Twilio as U+FFFD, so it is
     * refused here, where the customer can still see and fix it.
     */
    private static final String NO_XML_FORBIDDEN = "no character XML forbids (a control character but tab, line feed"
            + " and carriage return, an unpaired surrogate, U+FFFE, U+FFFF)";

    private static final String ROUTING_TYPES = "must be stream, sip, number or conversationRelay";
    static final int MAX_WELCOME_GREETING = 1000;
    private static final List<String> TTS_PROVIDERS = List.of("Google", "Amazon", "ElevenLabs");
    private static final List<String> TRANSCRIPTION_PROVIDERS = List.of("Google", "Deepgram");
    private static final List<String> INTERRUPTIBLE = List.of("none", "dtmf", "speech", "any");
    private static final Pattern LANGUAGE = Pattern.compile("multi|[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}");
    private static final Pattern VOICE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern SIP_URI = Pattern.compile(
            "sips?:(?:[^@\\s<>\"]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\\d{1,5})?(?:;[^\\s?<>\"]*)?"
                    + "(?:\\?[^\\s<>\"]*)?");

    public Map<String, String> parametersOrEmpty() {
        return parameters == null ? Map.of() : parameters;
    }

    public String recordingOrDefault() {
        return recording == null ? "off" : recording;
    }

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    public void validate() {
        var v = new Validation();
        v.require(name != null && !name.isBlank() && name.strip().length() <= 100, "name",
                "must be 1 to 100 characters");
        validateRouting(v);
        validateParameters(v);
        v.require(recording == null || recording.equals("off") || recording.equals("on"), "recording",
                "must be off or on");
        v.require(transferNumber == null || PhoneNumbers.isE164(transferNumber), "transferNumber",
                "must be an E.164 number such as +14155551234");
        v.throwIfInvalid();
    }

    private void validateRouting(Validation v) {
        if (routing == null || routing.type() == null) {
            v.error("routing.type", ROUTING_TYPES);
            return;
        }
        if (!routing.type().equals(Routing.CONVERSATION_RELAY) && routing.hasSettings()) {
            v.error("routing", "only a conversationRelay route takes " + String.join(", ", Routing.RELAY_SETTINGS));
        }
        switch (routing.type()) {
            case Routing.STREAM -> {
                v.require(routing.uri() == null && routing.number() == null, "routing", "a stream takes only url");
                v.require(isStreamUrl(routing.url()), "routing.url",
                        "must be a wss:// URL without a query string (Twilio drops it; pass data as parameters)"
                                + " with " + NO_XML_FORBIDDEN);
            }
            case Routing.SIP -> {
                v.require(routing.url() == null && routing.number() == null, "routing", "a sip route takes only uri");
                v.require(isSipUri(routing.uri()), "routing.uri",
                        "must be a sip: or sips: URI such as sip:agent@sip.example.com, with " + NO_XML_FORBIDDEN);
            }
            case Routing.NUMBER -> {
                v.require(routing.url() == null && routing.uri() == null, "routing",
                        "a number route takes only number");
                v.require(PhoneNumbers.isE164(routing.number()), "routing.number",
                        "must be an E.164 number such as +14155551234");
            }
            case Routing.CONVERSATION_RELAY -> {
                v.require(routing.uri() == null && routing.number() == null, "routing",
                        "a conversationRelay route takes url and its settings, not uri or number");
                v.require(isStreamUrl(routing.url()), "routing.url",
                        "must be a wss:// URL without a query string (pass data as parameters) with "
                                + NO_XML_FORBIDDEN);
                validateRelaySettings(v);
            }
            default -> v.error("routing.type", ROUTING_TYPES);
        }
        if (Routing.SIP.equals(routing.type())) {
            validateSipHeaders(v);
        }
    }

    /**
     * The attributes of {@code <ConversationRelay>}
     * (https://www.twilio.com/docs/voice/twiml/connect/conversationrelay): the providers Twilio speaks and listens
     * with, and the {@code interruptible} values none, dtmf, speech and any
     * (https://www.twilio.com/en-us/changelog/new-features-now-available-for-conversationrelay; the booleans it still
     * takes for the old form are not offered). A language is a BCP 47 tag such as {@code en-US}, or {@code multi} for
     * the providers' detection
     * (https://www.twilio.com/en-us/changelog/conversationrelay-now-supports-a-configuration-for-automatic-lan).
     * Twilio documents no length for the greeting; it is held to {@value #MAX_WELCOME_GREETING} characters here, a
     * spoken sentence or two, so that each call's TwiML stays small.
     */
    private void validateRelaySettings(Validation v) {
        String greeting = routing.welcomeGreeting();
        v.require(greeting == null || (!greeting.isBlank() && greeting.length() <= MAX_WELCOME_GREETING
                && Twiml.isAllowedInXml(greeting)), "routing.welcomeGreeting",
                "must be 1 to " + MAX_WELCOME_GREETING + " characters with " + NO_XML_FORBIDDEN);
        v.require(routing.language() == null || LANGUAGE.matcher(routing.language()).matches(), "routing.language",
                "must be a BCP 47 language tag such as en-US, or multi");
        v.require(routing.voice() == null || VOICE.matcher(routing.voice()).matches(), "routing.voice",
                "must be 1 to 128 letters, digits, '_', '.', ':' or '-' (a voice of the ttsProvider)");
        v.require(routing.ttsProvider() == null || TTS_PROVIDERS.contains(routing.ttsProvider()),
                "routing.ttsProvider", "must be one of " + String.join(", ", TTS_PROVIDERS));
        v.require(routing.transcriptionProvider() == null
                || TRANSCRIPTION_PROVIDERS.contains(routing.transcriptionProvider()), "routing.transcriptionProvider",
                "must be one of " + String.join(", ", TRANSCRIPTION_PROVIDERS));
        v.require(routing.interruptible() == null || INTERRUPTIBLE.contains(routing.interruptible()),
                "routing.interruptible", "must be one of " + String.join(", ", INTERRUPTIBLE));
        v.require(routing.welcomeGreetingInterruptible() == null
                || INTERRUPTIBLE.contains(routing.welcomeGreetingInterruptible()),
                "routing.welcomeGreetingInterruptible", "must be one of " + String.join(", ", INTERRUPTIBLE));
    }

    /**
     * A SIP agent gets the call's and the agent's parameters as {@code X-} headers of the URI
     * ({@link io.switchboard.twilio.SipHeaders}): a name Twilio would drop ({@code X-Twilio…}) is refused, and so are
     * parameters that cannot fit within Twilio's 1,024 characters beside the service's own headers.
     */
    private void validateSipHeaders(Validation v) {
        var own = parametersOrEmpty();
        own.keySet().stream().filter(SipHeaders::isRefusedName).sorted().forEach(key -> v.error(
                "parameters." + key, "a SIP agent gets parameters as X- headers, and Twilio drops X-Twilio ones"));
        if (routing.uri() != null && SipHeaders.agentBudget(routing.uri()) < SipHeaders.length(own)) {
            v.error("parameters", "do not fit in the " + SipHeaders.MAX_LENGTH + " characters Twilio allows the"
                    + " headers of a SIP URI, beside the call's own (callSid, from, to, agentId); "
                    + SipHeaders.agentBudget(routing.uri()) + " are left for them, URL-encoded");
        }
    }

    private void validateParameters(Validation v) {
        validateStreamParameters(v, "parameters", parameters);
    }

    /**
     * The rules of any stream parameters a request carries (an agent's, a batch's, a target's), each error named
     * {@code field.<name>}; null is none.
     */
    public static void validateStreamParameters(Validation v, String field, Map<String, String> parameters) {
        if (parameters == null) {
            return;
        }
        v.require(parameters.size() <= MAX_PARAMETERS, field, "at most " + MAX_PARAMETERS + " entries");
        parameters.forEach((key, value) -> {
            String name = field + "." + key;
            if (!PARAMETER_NAME.matcher(key).matches()) {
                v.error(name, "names are 1 to 64 letters, digits, '_', '.' or '-', starting with a letter");
            } else if (RESERVED_PARAMETERS.contains(key)) {
                v.error(name, "is set by the service on every call");
            }
            if (value == null || value.length() > MAX_PARAMETER_VALUE) {
                v.error(name, "must be a string of at most " + MAX_PARAMETER_VALUE + " characters");
            } else if (!Twiml.isAllowedInXml(value)) {
                v.error(name, "must contain " + NO_XML_FORBIDDEN);
            }
        });
    }

    /**
     * A SIP URI that the answer to a call can carry: the builders write an empty {@code <Sip/>} for one that
     * {@link URI} does not parse.
     */
    private static boolean isSipUri(String uri) {
        if (uri == null || uri.length() > 1024 || !SIP_URI.matcher(uri).matches() || !Twiml.isAllowedInXml(uri)) {
            return false;
        }
        try {
            new URI(uri);
            return true;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isStreamUrl(String url) {
        if (url == null || url.length() > 2048 || !Twiml.isAllowedInXml(url)) {
            return false;
        }
        try {
            var uri = new URI(url);
            return "wss".equals(uri.getScheme()) && uri.getHost() != null && uri.getRawQuery() == null
                    && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
