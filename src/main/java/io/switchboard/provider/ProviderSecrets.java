package io.switchboard.provider;

import io.switchboard.crypto.SecretCipher;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Seals and opens a provider's secrets, each bound to its provider and {@link SecretField}. */
@ApplicationScoped
public class ProviderSecrets {

    private final SecretCipher cipher;

    public ProviderSecrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    String seal(Provider provider, SecretField field, String secret) {
        return secret == null ? null : cipher.encrypt(secret, field.context(provider.id));
    }

    String open(UUID providerId, SecretField field, String sealed) {
        return sealed == null ? null : cipher.decrypt(sealed, field.context(providerId));
    }

    /** True when the value was sealed under a key that is now only a previous one. */
    boolean needsResealing(String sealed) {
        return sealed != null && cipher.needsReencryption(sealed);
    }

    /** The same secret sealed under the current key. */
    String reseal(UUID providerId, SecretField field, String sealed) {
        return cipher.reencrypt(sealed, field.context(providerId));
    }

    /** How the client reaches this provider's account (and, outside us1, its US1 credentials when it has them). */
    TwilioCredentials credentials(Provider provider) {
        return credentials(provider.id, provider.accountSid, provider.authTokenEnc, provider.apiKeySid,
                provider.apiKeySecretEnc, provider.region, provider.edge)
                .withUs1(open(provider.id, SecretField.US1_AUTH_TOKEN, provider.us1AuthTokenEnc), provider.us1ApiKeySid,
                        open(provider.id, SecretField.US1_API_KEY_SECRET, provider.us1ApiKeySecretEnc));
    }

    TwilioCredentials credentials(SealedProvider p) {
        return credentials(p.id(), p.accountSid(), p.authTokenEnc(), p.apiKeySid(), p.apiKeySecretEnc(), p.region(),
                p.edge())
                .withUs1(open(p.id(), SecretField.US1_AUTH_TOKEN, p.us1AuthTokenEnc()), p.us1ApiKeySid(),
                        open(p.id(), SecretField.US1_API_KEY_SECRET, p.us1ApiKeySecretEnc()));
    }

    TwilioCredentials credentials(UUID providerId, String accountSid, String authTokenEnc, String apiKeySid,
            String apiKeySecretEnc, String region, String edge) {
        return new TwilioCredentials(accountSid, open(providerId, SecretField.AUTH_TOKEN, authTokenEnc), apiKeySid,
                open(providerId, SecretField.API_KEY_SECRET, apiKeySecretEnc), TwilioRegion.parse(region).orElseThrow(),
                edge);
    }
}
