package io.switchboard.twilio;

import java.util.Arrays;
import java.util.Optional;

/** The Twilio regions a provider may live in, each with its default edge. */
public enum TwilioRegion {
    US1("us1", "ashburn"),
    IE1("ie1", "dublin"),
    AU1("au1", "sydney");

    private final String id;
    private final String defaultEdge;

    TwilioRegion(String id, String defaultEdge) {
        this.id = id;
        this.defaultEdge = defaultEdge;
    }

    public String id() {
        return id;
    }

    public String defaultEdge() {
        return defaultEdge;
    }

    public static Optional<TwilioRegion> parse(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
