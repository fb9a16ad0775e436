package io.switchboard.provider;

import io.switchboard.crypto.SecretCipher;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Encrypts and decrypts a provider's secrets. Each value is bound to its provider and field, so a ciphertext copied to
 * another row or column does not decrypt.
 */
@ApplicationScoped
public class ProviderSecrets {

    private final SecretCipher cipher;

    public ProviderSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    public String seal(Provider provider, String field, String secret) {
        return secret == null ? null : cipher.encrypt(secret, context(provider, field));
    }

    public String open(Provider provider, String field, String sealed) {
        return open(provider.id, field, sealed);
    }

    /** For readers that hold only the row's columns, such as the webhook key directory. */
    public String open(UUID providerId, String field, String sealed) {
        return sealed == null ? null : cipher.decrypt(sealed, context(providerId, field));
    }

    /** How the client reaches this provider's account. */
    public TwilioCredentials credentials(Provider provider) {
        return new TwilioCredentials(provider.accountSid, open(provider, "authToken", provider.authTokenEnc),
                provider.apiKeySid, open(provider, "apiKeySecret", provider.apiKeySecretEnc),
                TwilioRegion.parse(provider.region).orElseThrow(), provider.edge);
    }

    private static String context(Provider provider, String field) {
        return context(provider.id, field);
    }

    private static String context(UUID providerId, String field) {
        return "provider:" + providerId + ":" + field;
    }
}
