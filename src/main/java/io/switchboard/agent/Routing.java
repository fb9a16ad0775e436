package io.switchboard.agent;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an agent's calls go, as the API shows it: {@code {type: "stream", url}}, {@code {type: "sip", uri}} or
 * {@code {type: "number", number}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Routing(String type, String url, String uri, String number) {

    public static final String STREAM = "stream";
    public static final String SIP = "sip";
    public static final String NUMBER = "number";

    /** The one field that carries the destination for this type. */
    public String target() {
        return switch (type) {
            case STREAM -> url;
            case SIP -> uri;
            case NUMBER -> number;
            default -> null;
        };
    }

    public static Routing of(String type, String target) {
        return switch (type) {
            case STREAM -> new Routing(type, target, null, null);
            case SIP -> new Routing(type, null, target, null);
            case NUMBER -> new Routing(type, null, null, target);
            default -> throw new IllegalArgumentException("unknown routing type " + type);
        };
    }
}
