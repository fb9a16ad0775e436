package io.switchboard.simulator;

import java.util.Arrays;
import java.util.Optional;

/**
 * The Twilio regions the simulator serves, each at {@code /sim/<region>/<product>} ({@code /sim/<product>} is US1),
 * with the products each runs. Regions are isolated, and so are their credentials: an auth token or API key is valid
 * only in the region it was made in (twilio.com/docs/global-infrastructure/manage-regional-api-credentials). Per
 * twilio.com/docs/global-infrastructure/regional-product-and-feature-availability, IE1 runs Voice, Elastic SIP
 * Trunking (without the trunk's PhoneNumbers subresource), Messaging (SMS) and Lookup v2; AU1 runs Voice and Elastic
 * SIP Trunking only. What a region does not run is answered as Twilio answers an unknown resource: 404, 20404.
 */
public enum SimRegion {
    US1("us1"),
    IE1("ie1"),
    AU1("au1");

    private final String id;

    SimRegion(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Optional<SimRegion> parse(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    /** Whether the region runs this product's route ({@code api}, {@code trunking}, {@code lookups}). */
    boolean serves(String product, String route) {
        return switch (this) {
            case US1 -> true;
            case IE1 -> !(product.equals("trunking") && route.contains("/PhoneNumbers"));
            case AU1 -> !product.equals("lookups") && !(product.equals("api") && route.contains("/Messages"))
                    && !(product.equals("trunking") && route.contains("/PhoneNumbers"));
        };
    }
}
