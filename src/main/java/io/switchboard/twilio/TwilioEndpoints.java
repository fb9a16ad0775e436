package io.switchboard.twilio;

import java.util.Optional;

/**
 * Where each Twilio product is reached for a region and edge, or the configured override (the simulator, a proxy).
 * The regional rules live here and nowhere else.
 */
record TwilioEndpoints(Optional<String> api, Optional<String> trunking, Optional<String> lookups) {

    /** A Twilio REST product; messaging is the 2010 API but follows its own regional availability. */
    enum Product {
        API("api"),
        MESSAGING("api"),
        TRUNKING("trunking"),
        LOOKUPS("lookups");

        private final String host;

        Product(String host) {
            this.host = host;
        }
    }

    TwilioEndpoints {
        api = api.map(TwilioEndpoints::withoutTrailingSlash);
        trunking = trunking.map(TwilioEndpoints::withoutTrailingSlash);
        lookups = lookups.map(TwilioEndpoints::withoutTrailingSlash);
    }

    static TwilioEndpoints of(TwilioConfig.Endpoints config) {
        return new TwilioEndpoints(config.api(), config.trunking(), config.lookups());
    }

    static TwilioEndpoints twilio() {
        return new TwilioEndpoints(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Scheme, host and any path prefix to which the product's own path ({@code /2010-04-01/...}) is appended. */
    String baseUrl(Product product, TwilioRegion region, String edge) {
        var override = switch (product) {
            case API, MESSAGING -> api;
            case TRUNKING -> trunking;
            case LOOKUPS -> lookups;
        };
        if (override.isPresent()) {
            return override.get();
        }
        // AU1 has no messaging: Twilio serves it from US1. IE1 has its own SMS API, so it keeps its host.
        if (product == Product.MESSAGING && region == TwilioRegion.AU1) {
            region = TwilioRegion.US1;
            edge = TwilioRegion.US1.defaultEdge();
        }
        if (edge == null || edge.isBlank()) {
            edge = region.defaultEdge();
        }
        // api.twilio.com is US1 through its default edge. Region-only hosts (api.ie1.twilio.com) no longer resolve,
        // so every other combination names both edge and region.
        if (region == TwilioRegion.US1 && edge.equals(region.defaultEdge())) {
            return "https://" + product.host + ".twilio.com";
        }
        return "https://" + product.host + "." + edge + "." + region.id() + ".twilio.com";
    }

    private static String withoutTrailingSlash(String url) {
        var trimmed = url.strip();
        return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
}
