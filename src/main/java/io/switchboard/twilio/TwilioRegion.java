package io.switchboard.twilio;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Twilio regions a provider may live in, each with its default edge and the products Twilio runs there.
 * <p>
 * Regions operate in isolation, and so do their credentials: "any given Auth Token or API Key is only valid for the
 * Twilio Region in which it was created ... Attempting to use credentials for another Region will result in an
 * authentication failure" (twilio.com/docs/global-infrastructure/manage-regional-api-credentials). What a region
 * lacks is reached in US1, with US1 credentials: per twilio.com/docs/global-infrastructure/
 * regional-product-and-feature-availability, AU1 runs Programmable Voice and Elastic SIP Trunking only (no Messaging,
 * no Lookup v2), while IE1 also runs Programmable Messaging (SMS) and Lookup v2. Phone numbers are global and
 * configured for US1 by default (twilio.com/docs/api/errors/21669), and buying one is a US1 operation.
 */
public enum TwilioRegion {
    US1("us1", "ashburn", true, true),
    IE1("ie1", "dublin", true, true),
    AU1("au1", "sydney", false, false);

    private final String id;
    private final String defaultEdge;
    private final boolean messaging;
    private final boolean lookups;

    TwilioRegion(String id, String defaultEdge, boolean messaging, boolean lookups) {
        this.id = id;
        this.defaultEdge = defaultEdge;
        this.messaging = messaging;
        this.lookups = lookups;
    }

    public String id() {
        return id;
    }

    public String defaultEdge() {
        return defaultEdge;
    }

    /** Whether Twilio runs Programmable Messaging here; where it does not, messages go through US1. */
    public boolean servesMessaging() {
        return messaging;
    }

    /** Whether Twilio runs Lookup v2 here; where it does not, lookups go through US1. */
    public boolean servesLookups() {
        return lookups;
    }

    /** Whether some product this service uses is reached in US1, so that it needs US1 credentials too. */
    public boolean needsUs1Credentials() {
        return this != US1 && (!messaging || !lookups);
    }

    public static Optional<TwilioRegion> parse(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }
}
