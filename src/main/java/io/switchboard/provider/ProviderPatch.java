package io.switchboard.provider;

import io.switchboard.common.Validation;

/**
 * The body of {@code PATCH /v1/providers/{id}}: a new name, new credentials (a rotation), new US1 credentials for
 * a provider outside us1 (each checked against US1 before it is stored), or a new pace (absent: unchanged).
 */
public record ProviderPatch(String name, String authToken, String apiKeySid, String apiKeySecret, String us1AuthToken,
        String us1ApiKeySid, String us1ApiKeySecret, Double callsPerSecond, Double segmentsPerSecond) {

    public boolean rotatesCredentials() {
        return authToken != null || apiKeySid != null || apiKeySecret != null;
    }

    public boolean setsUs1Credentials() {
        return us1AuthToken != null || us1ApiKeySid != null || us1ApiKeySecret != null;
    }

    public void validate() {
        var v = new Validation();
        if (name != null) {
            ProviderRequest.validateName(v, name);
        }
        if (authToken != null) {
            ProviderRequest.validateAuthToken(v, authToken);
        }
        ProviderRequest.validateApiKey(v, apiKeySid, apiKeySecret);
        ProviderRequest.validatePace(v, callsPerSecond, segmentsPerSecond);
        v.throwIfInvalid();
    }

    /** The US1 credentials, for a provider in {@code region}. */
    void validateUs1(String region) {
        var v = new Validation();
        ProviderRequest.validateUs1(v, "us1".equals(region), us1AuthToken, us1ApiKeySid, us1ApiKeySecret);
        v.throwIfInvalid();
    }
}
