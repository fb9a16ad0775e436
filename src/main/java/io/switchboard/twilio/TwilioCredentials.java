package io.switchboard.twilio;

import java.util.Optional;

/**
 * How to authenticate to one Twilio account in one region. REST calls use the API key when there is one, else the
 * auth token; webhook signatures can only be checked with the auth token. {@link #toString()} never shows a secret.
 * <p>
 * {@code us1}: the same account's US1 credentials, for a provider outside US1. Regional credentials authenticate only
 * in their own region, and Twilio serves some products only from US1 (see {@link TwilioRegion}); those requests are
 * made with these, and without them they are refused here ({@link Us1CredentialsRequired}) rather than sent with
 * credentials US1 would refuse.
 */
public record TwilioCredentials(String accountSid, String authToken, String apiKeySid, String apiKeySecret,
        TwilioRegion region, String edge, TwilioCredentials us1) {

    public TwilioCredentials {
        if (accountSid == null || region == null) {
            throw new IllegalArgumentException("accountSid and region are required");
        }
        if (authToken == null && (apiKeySid == null || apiKeySecret == null)) {
            throw new IllegalArgumentException("an auth token or an API key with its secret is required");
        }
        if (edge == null || edge.isBlank()) {
            edge = region.defaultEdge();
        }
        if (us1 != null && (us1.region != TwilioRegion.US1 || region == TwilioRegion.US1
                || !us1.accountSid.equals(accountSid) || us1.us1 != null)) {
            throw new IllegalArgumentException("US1 credentials are for the same account, outside US1 only");
        }
    }

    /** Without US1 credentials beside these. */
    public TwilioCredentials(String accountSid, String authToken, String apiKeySid, String apiKeySecret,
            TwilioRegion region, String edge) {
        this(accountSid, authToken, apiKeySid, apiKeySecret, region, edge, null);
    }

    public static TwilioCredentials withAuthToken(String accountSid, String authToken, TwilioRegion region) {
        return new TwilioCredentials(accountSid, authToken, null, null, region, null);
    }

    /** These credentials with the account's US1 credentials beside them; null or blank secrets mean none. */
    public TwilioCredentials withUs1(String us1AuthToken, String us1ApiKeySid, String us1ApiKeySecret) {
        boolean hasKey = us1ApiKeySid != null && us1ApiKeySecret != null;
        if (us1AuthToken == null && !hasKey) {
            return new TwilioCredentials(accountSid, authToken, apiKeySid, apiKeySecret, region, edge, null);
        }
        var companion = new TwilioCredentials(accountSid, us1AuthToken, hasKey ? us1ApiKeySid : null,
                hasKey ? us1ApiKeySecret : null, TwilioRegion.US1, null, null);
        return new TwilioCredentials(accountSid, authToken, apiKeySid, apiKeySecret, region, edge, companion);
    }

    /** The account's US1 credentials, when they were given (never for a provider in US1, whose own are US1's). */
    public Optional<TwilioCredentials> us1Credentials() {
        return Optional.ofNullable(us1);
    }

    public boolean usesApiKey() {
        return apiKeySid != null && apiKeySecret != null;
    }

    /** The HTTP basic-auth user name of REST calls. */
    public String username() {
        return usesApiKey() ? apiKeySid : accountSid;
    }

    /** The HTTP basic-auth password of REST calls. */
    public String password() {
        return usesApiKey() ? apiKeySecret : authToken;
    }

    @Override
    public String toString() {
        return "TwilioCredentials[accountSid=" + accountSid + ", apiKeySid=" + apiKeySid + ", region=" + region.id()
                + ", edge=" + edge + ", us1=" + (us1 == null ? "none" : us1.apiKeySid == null ? "token" : us1.apiKeySid)
                + "]";
    }
}
