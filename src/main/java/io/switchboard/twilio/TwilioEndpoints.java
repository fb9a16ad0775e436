package io.switchboard.twilio;

import java.util.Optional;

/**
 * Where each Twilio product is reached for a region and edge, or the configured override (the simulator, a proxy).
 * The regional rules live here and in {@link TwilioRegion}. An override may name the region with {@code {region}}
 * ({@code http://localhost:8080/sim/{region}/api}), so that a fake Twilio can tell the regions apart.
 */
record TwilioEndpoints(Optional<String> api, Optional<String> trunking, Optional<String> lookups) {

    /**
     * A Twilio REST product; messaging is the 2010 API but follows its own regional availability. {@code API}
     * covers voice, calls and numbers' configuration, which every region runs: a live call is always updated in the
     * region that handles it.
     */
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

    /** The region that serves the product for an account of {@code region}: its own, or US1 where it lacks it. */
    static TwilioRegion servedFrom(Product product, TwilioRegion region) {
        boolean served = switch (product) {
            case API, TRUNKING -> true;
            case MESSAGING -> region.servesMessaging();
            case LOOKUPS -> region.servesLookups();
        };
        return served ? region : TwilioRegion.US1;
    }

    /** Scheme, host and any path prefix to which the product's own path ({@code /2010-04-01/...}) is appended. */
    String baseUrl(Product product, TwilioRegion region, String edge) {
        var served = servedFrom(product, region);
        if (served != region) {
            // AU1 has no messaging: Twilio serves it from US1. IE1 has its own SMS API, so it keeps its host.
            region = served;
            edge = served.defaultEdge();
        }
        var override = switch (product) {
            case API, MESSAGING -> api;
            case TRUNKING -> trunking;
            case LOOKUPS -> lookups;
        };
        if (override.isPresent()) {
            return override.get().replace("{region}", region.id());
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
