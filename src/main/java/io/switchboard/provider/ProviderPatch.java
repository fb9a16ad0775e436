package io.switchboard.provider;

import io.switchboard.common.Validation;

/** The body of {@code PATCH /v1/providers/{id}}: a new name, or new credentials (a rotation). */
public record ProviderPatch(String name, String authToken, String apiKeySid, String apiKeySecret) {

    public boolean rotatesCredentials() {
        return authToken != null || apiKeySid != null || apiKeySecret != null;
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
        v.throwIfInvalid();
    }
}
