package io.switchboard.agent;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Where an agent's calls go, as the API shows it: {@code {type: "stream", url}}, {@code {type: "sip", uri}},
 * {@code {type: "number", number}} or {@code {type: "conversationRelay", url, …}}, whose other fields are the
 * attributes of Twilio's {@code <ConversationRelay>} of the same names (see {@link #RELAY_SETTINGS}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Routing(
        @Schema(required = true, enumeration = {
            "stream", "sip", "number", "conversationRelay" }) String type,
        @Schema(description = "stream and conversationRelay: a wss:// URL without a query string",
                example = "wss://agent.example.com/media") String url,
        @Schema(description = "sip: a sip: or sips: URI", example = "sip:agent@sip.example.com") String uri,
        @Schema(description = "number: an E.164 number", example = "+14155551234") String number,
        @Schema(description = "conversationRelay only") String welcomeGreeting,
        @Schema(description = "conversationRelay only", example = "en-US") String language,
        @Schema(description = "conversationRelay only") String voice,
        @Schema(description = "conversationRelay only",
                enumeration = { "Google", "Amazon", "ElevenLabs" }) String ttsProvider,
        @Schema(description = "conversationRelay only",
                enumeration = { "Google", "Deepgram" }) String transcriptionProvider,
        @Schema(description = "conversationRelay only",
                enumeration = { "none", "dtmf", "speech", "any" }) String interruptible,
        @Schema(description = "conversationRelay only",
                enumeration = { "none", "dtmf", "speech", "any" }) String welcomeGreetingInterruptible,
        @Schema(description = "conversationRelay only") Boolean dtmfDetection) {

    public static final String STREAM = "stream";
    public static final String SIP = "sip";
    public static final String NUMBER = "number";
    public static final String CONVERSATION_RELAY = "conversationRelay";

    /**
     * The {@code <ConversationRelay>} attributes an agent may set besides {@code url}, in the order the API lists
     * them; each is stored under its own name and written as the attribute of that name.
     */
    public static final List<String> RELAY_SETTINGS = List.of("welcomeGreeting", "language",
            "voice", "ttsProvider", "transcriptionProvider", "interruptible", "welcomeGreetingInterruptible",
            "dtmfDetection");

    /** A route of a type that takes no settings beyond its target. */
    public Routing(String type, String url, String uri, String number) {
        this(type, url, uri, number, null, null, null, null, null, null, null, null);
    }

    /** The one field that carries the destination for this type. */
    public String target() {
        return switch (type) {
            case STREAM, CONVERSATION_RELAY -> url;
            case SIP -> uri;
            case NUMBER -> number;
            default -> null;
        };
    }

    /** The settings beyond the target, by attribute name, as they are stored; empty for none. */
    public Map<String, String> settings() {
        var settings = new LinkedHashMap<String, String>();
        put(settings, "welcomeGreeting", welcomeGreeting);
        put(settings, "language", language);
        put(settings, "voice", voice);
        put(settings, "ttsProvider", ttsProvider);
        put(settings, "transcriptionProvider", transcriptionProvider);
        put(settings, "interruptible", interruptible);
        put(settings, "welcomeGreetingInterruptible", welcomeGreetingInterruptible);
        put(settings, "dtmfDetection", dtmfDetection == null ? null : dtmfDetection.toString());
        return settings;
    }

    /** Whether any setting beyond the target is given. */
    @JsonIgnore
    public boolean hasSettings() {
        return !settings().isEmpty();
    }

    public static Routing of(String type, String target) {
        return of(type, target, Map.of());
    }

    /** The route of a stored agent: its type, target and settings ({@link #settings}). */
    public static Routing of(String type, String target, Map<String, String> settings) {
        return switch (type) {
            case STREAM -> new Routing(type, target, null, null);
            case SIP -> new Routing(type, null, target, null);
            case NUMBER -> new Routing(type, null, null, target);
            case CONVERSATION_RELAY -> new Routing(type, target, null, null, settings.get("welcomeGreeting"),
                    settings.get("language"), settings.get("voice"), settings.get("ttsProvider"),
                    settings.get("transcriptionProvider"), settings.get("interruptible"),
                    settings.get("welcomeGreetingInterruptible"),
                    settings.containsKey("dtmfDetection") ? Boolean.valueOf(settings.get("dtmfDetection")) : null);
            default -> throw new IllegalArgumentException("unknown routing type " + type);
        };
    }

    private static void put(Map<String, String> settings, String name, String value) {
        if (value != null) {
            settings.put(name, value);
        }
    }
}
