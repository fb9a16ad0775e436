package io.switchboard.provider;

import io.switchboard.common.Validation;
import io.switchboard.twilio.TwilioRegion;
import java.util.Set;
import java.util.regex.Pattern;

/** The body of {@code POST /v1/providers}. */
public record ProviderRequest(String type, String name, String accountSid, String authToken, String apiKeySid,
        String apiKeySecret, String region, String edge, Boolean enableTransfers) {

    static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-f]{32}");
    static final Pattern AUTH_TOKEN = Pattern.compile("[0-9a-f]{32}");
    static final Pattern API_KEY_SID = Pattern.compile("SK[0-9a-fA-F]{32}");
    /** Twilio's edge locations; any of them can reach any region. */
    static final Set<String> EDGES = Set.of("ashburn", "umatilla", "dublin", "frankfurt", "sydney", "tokyo",
            "singapore", "sao-paulo");

    public TwilioRegion regionOrDefault() {
        return region == null ? TwilioRegion.US1 : TwilioRegion.parse(region).orElseThrow();
    }

    public String edgeOrDefault() {
        return edge == null ? regionOrDefault().defaultEdge() : edge;
    }

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field; no value is ever echoed */
    public void validate() {
        var v = new Validation();
        v.require("twilio".equals(type), "type", "must be twilio");
        validateName(v, name);
        v.require(accountSid != null && ACCOUNT_SID.matcher(accountSid).matches(), "accountSid",
                "must be AC followed by 32 lowercase hex digits");
        boolean hasKey = apiKeySid != null || apiKeySecret != null;
        if (authToken != null || !hasKey) {
            validateAuthToken(v, authToken);
        }
        validateApiKey(v, apiKeySid, apiKeySecret);
        v.require(region == null || TwilioRegion.parse(region).isPresent(), "region", "must be us1, ie1 or au1");
        v.require(edge == null || EDGES.contains(edge), "edge", "must be one of Twilio's edges, such as dublin");
        v.throwIfInvalid();
    }

    static void validateName(Validation v, String name) {
        v.require(name != null && !name.isBlank() && name.strip().length() <= 100, "name",
                "must be 1 to 100 characters");
    }

    static void validateAuthToken(Validation v, String authToken) {
        v.require(authToken != null && AUTH_TOKEN.matcher(authToken).matches(), "authToken",
                "must be 32 lowercase hex digits");
    }

    static void validateApiKey(Validation v, String apiKeySid, String apiKeySecret) {
        if (apiKeySid == null && apiKeySecret == null) {
            return;
        }
        v.require(apiKeySid != null && API_KEY_SID.matcher(apiKeySid).matches(), "apiKeySid",
                "must be SK followed by 32 hex digits");
        v.require(apiKeySecret != null && apiKeySecret.length() >= 16 && apiKeySecret.length() <= 128
                && apiKeySecret.strip().equals(apiKeySecret), "apiKeySecret",
                "is required with apiKeySid (16 to 128 characters)");
    }
}
