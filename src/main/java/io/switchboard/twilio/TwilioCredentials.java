package io.switchboard.twilio;

/**
 * How to authenticate to one Twilio account in one region. REST calls use the API key when there is one, else the
 * auth token; webhook signatures can only be checked with the auth token. {@link #toString()} never shows a secret.
 */
public record TwilioCredentials(String accountSid, String authToken, String apiKeySid, String apiKeySecret,
        TwilioRegion region, String edge) {

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
    }

    public static TwilioCredentials withAuthToken(String accountSid, String authToken, TwilioRegion region) {
        return new TwilioCredentials(accountSid, authToken, null, null, region, null);
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
                + ", edge=" + edge + "]";
    }
}
