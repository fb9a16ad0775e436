package io.switchboard.provider;

import java.util.UUID;

/**
 * The sealed columns of a {@code provider} row. Each value is encrypted bound to its provider and field (the
 * encryption context), so a ciphertext copied to another row or column does not decrypt.
 */
public enum SecretField {
    AUTH_TOKEN("auth_token_enc", "authToken"),
    API_KEY_SECRET("api_key_secret_enc", "apiKeySecret"),
    PREVIOUS_AUTH_TOKEN("previous_auth_token_enc", "previousAuthToken"),
    SIP_PASSWORD("sip_password_enc", "sipPassword"),
    /** The account's US1 auth token, for a provider outside us1. */
    US1_AUTH_TOKEN("us1_auth_token_enc", "us1AuthToken"),
    /** The secret of the account's US1 API key, for a provider outside us1. */
    US1_API_KEY_SECRET("us1_api_key_secret_enc", "us1ApiKeySecret");

    private final String column;
    private final String binding;

    SecretField(String column, String binding) {
        this.column = column;
        this.binding = binding;
    }

    /** The column of {@code provider} that holds the sealed value. */
    public String column() {
        return column;
    }

    /** The encryption context of this field of one provider; stored values depend on it never changing. */
    String context(UUID providerId) {
        return "provider:" + providerId + ":" + binding;
    }
}
