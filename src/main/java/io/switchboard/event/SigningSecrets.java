package io.switchboard.event;

import io.switchboard.crypto.ReplicaKeys;
import io.switchboard.crypto.SecretCipher;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Seals and opens a subscription's signing secrets like a provider's secrets: AES-256-GCM under a key every live
 * replica reads, bound to the subscription, so a value copied to another row does not decrypt. The current and the
 * replaced secret share one binding, since a rotation moves the one into the other's column.
 */
@ApplicationScoped
class SigningSecrets {

    private final SecretCipher cipher;
    private final ReplicaKeys replicas;

    SigningSecrets(SecretCipher cipher, ReplicaKeys replicas) {
        this.cipher = cipher;
        this.replicas = replicas;
    }

    String seal(UUID subscriptionId, String secret) {
        return cipher.encrypt(secret, context(subscriptionId), replicas.sealingKeyId());
    }

    /** @throws io.switchboard.crypto.SecretDecryptionException under a key this replica does not read */
    String open(UUID subscriptionId, String sealed) {
        return sealed == null ? null : cipher.decrypt(sealed, context(subscriptionId));
    }

    private static String context(UUID subscriptionId) {
        return "event-subscription:" + subscriptionId + ":signingSecret";
    }
}
