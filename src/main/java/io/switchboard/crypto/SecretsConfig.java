package io.switchboard.crypto;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Keys that encrypt Twilio secrets at rest. */
@ConfigMapping(prefix = "secrets")
public interface SecretsConfig {

    /** Base64 of 32 random bytes: the key new values are encrypted with ({@code SECRETS_ENCRYPTION_KEY}). */
    String encryptionKey();

    /** Older keys, still readable during a rotation ({@code SECRETS_PREVIOUS_KEYS}, comma-separated). */
    Optional<List<String>> previousKeys();
}
