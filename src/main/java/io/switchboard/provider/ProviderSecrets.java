package io.switchboard.provider;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.crypto.ReplicaKeys;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.crypto.SecretDecryptionException;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Seals and opens a provider's secrets, each bound to its provider and {@link SecretField}. New values are sealed
 * under a key every live replica reads ({@link ReplicaKeys#sealingKeyId()}); every value that does not open is counted
 * in {@code switchboard_secrets_undecryptable_total}.
 */
@ApplicationScoped
public class ProviderSecrets {

    private final SecretCipher cipher;
    private final Supplier<String> sealingKeyId;
    private final Counter undecryptable;

    @Inject
    ProviderSecrets(SecretCipher cipher, ReplicaKeys replicas, MeterRegistry metrics) {
        this(cipher, replicas::sealingKeyId, Counter.builder("switchboard.secrets.undecryptable")
                .description("Stored secrets this replica could not decrypt (sealed under a key it does not read)")
                .register(metrics));
    }

    /** Sealing under the cipher's current key, counting nothing: for a replica of its own in a test. */
    public ProviderSecrets(SecretCipher cipher) {
        this(cipher, cipher::currentKeyId, null);
    }

    /** Sealing under the key a replica of its own has chosen: for a replica of its own in a test. */
    public ProviderSecrets(SecretCipher cipher, ReplicaKeys replicas) {
        this(cipher, replicas::sealingKeyId, null);
    }

    private ProviderSecrets(SecretCipher cipher, Supplier<String> sealingKeyId, Counter undecryptable) {
        this.cipher = cipher;
        this.sealingKeyId = sealingKeyId;
        this.undecryptable = undecryptable;
    }

    String seal(Provider provider, SecretField field, String secret) {
        return secret == null ? null : cipher.encrypt(secret, field.context(provider.id), sealingKeyId.get());
    }

    /** @throws SecretDecryptionException when the value is sealed under a key this replica does not read */
    String open(UUID providerId, SecretField field, String sealed) {
        if (sealed == null) {
            return null;
        }
        try {
            return cipher.decrypt(sealed, field.context(providerId));
        } catch (SecretDecryptionException e) {
            if (undecryptable != null) {
                undecryptable.increment();
            }
            throw e;
        }
    }

    /** True when the value was sealed under a key that is not the current one. */
    boolean needsResealing(String sealed) {
        return sealed != null && cipher.needsReencryption(sealed);
    }

    /** The same secret sealed under the current key. */
    String reseal(UUID providerId, SecretField field, String sealed) {
        return cipher.reencrypt(sealed, field.context(providerId));
    }

    /** The key stored values are re-sealed under. */
    String currentKeyId() {
        return cipher.currentKeyId();
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
