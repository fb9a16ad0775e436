package io.switchboard.provider;

import io.switchboard.common.Validation;
import io.switchboard.twilio.TwilioRegion;
import java.util.Set;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/providers}. Outside us1, {@code us1AuthToken} or {@code us1ApiKeySid} with
 * {@code us1ApiKeySecret}: the same account's US1 credentials, for what Twilio serves only from US1.
 * {@code callsPerSecond}, {@code segmentsPerSecond}: the pace Twilio allows the account (calls per second; message
 * segments per second and sender), when it is not {@code switchboard.outbound.*}'s default.
 */
public record ProviderRequest(@Schema(required = true, enumeration = {
    "twilio" }) String type,
        @Schema(required = true, example = "Acme production") String name,
        @Schema(required = true, example = "AC0123456789abcdef0123456789abcdef") String accountSid,
        @Schema(description = "The account's auth token; or give apiKeySid and apiKeySecret") String authToken,
        @Schema(example = "SK0123456789abcdef0123456789abcdef") String apiKeySid, String apiKeySecret,
        @Schema(enumeration = { "us1", "ie1", "au1" }, defaultValue = "us1") String region,
        @Schema(enumeration = { "ashburn", "umatilla", "dublin", "frankfurt", "sydney", "tokyo", "singapore",
            "sao-paulo" }, description = "Default: the region's own edge") String edge,
        Boolean enableTransfers, String us1AuthToken,
        String us1ApiKeySid, String us1ApiKeySecret, Double callsPerSecond, Double segmentsPerSecond) {

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
        boolean inUs1 = region == null || TwilioRegion.US1.id().equals(region);
        validateUs1(v, inUs1, us1AuthToken, us1ApiKeySid, us1ApiKeySecret);
        validatePace(v, callsPerSecond, segmentsPerSecond);
        v.throwIfInvalid();
    }

    /** A pace, when given, is above 0: at 0 nothing would ever be sent. */
    static void validatePace(Validation v, Double callsPerSecond, Double segmentsPerSecond) {
        v.require(callsPerSecond == null || callsPerSecond > 0, "callsPerSecond", "must be above 0");
        v.require(segmentsPerSecond == null || segmentsPerSecond > 0, "segmentsPerSecond", "must be above 0");
    }

    boolean hasUs1Credentials() {
        return us1AuthToken != null || us1ApiKeySid != null || us1ApiKeySecret != null;
    }

    /** US1 credentials only outside us1 (in us1 the provider's own are US1's), each well formed. */
    static void validateUs1(Validation v, boolean inUs1, String us1AuthToken, String us1ApiKeySid,
            String us1ApiKeySecret) {
        if (us1AuthToken == null && us1ApiKeySid == null && us1ApiKeySecret == null) {
            return;
        }
        if (inUs1) {
            v.require(false, us1AuthToken != null ? "us1AuthToken" : "us1ApiKeySid",
                    "only for a provider outside us1, whose own credentials are for US1");
            return;
        }
        if (us1AuthToken != null) {
            v.require(AUTH_TOKEN.matcher(us1AuthToken).matches(), "us1AuthToken", "must be 32 lowercase hex digits");
        }
        if (us1ApiKeySid != null || us1ApiKeySecret != null) {
            v.require(us1ApiKeySid != null && API_KEY_SID.matcher(us1ApiKeySid).matches(), "us1ApiKeySid",
                    "must be SK followed by 32 hex digits");
            v.require(us1ApiKeySecret != null && us1ApiKeySecret.length() >= 16 && us1ApiKeySecret.length() <= 128
                    && us1ApiKeySecret.strip().equals(us1ApiKeySecret), "us1ApiKeySecret",
                    "is required with us1ApiKeySid (16 to 128 characters)");
        }
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
