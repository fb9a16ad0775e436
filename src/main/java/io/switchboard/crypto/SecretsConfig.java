package io.switchboard.crypto;

import io.smallrye.config.ConfigMapping;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Optional;

/** Keys that encrypt Twilio secrets at rest. */
@ConfigMapping(prefix = "switchboard.secrets")
public interface SecretsConfig {

    /** Exactly the base64 form of 32 bytes: 43 characters and one '=' of padding. */
    String BASE64_32_BYTES = "[A-Za-z0-9+/]{43}=";

    /** Base64 of 32 random bytes: the key new values are encrypted with ({@code SECRETS_ENCRYPTION_KEY}). */
    @Pattern(regexp = BASE64_32_BYTES, message = "SECRETS_ENCRYPTION_KEY must be base64 of 32 random bytes")
    String encryptionKey();

    /** Older keys, still readable during a rotation ({@code SECRETS_PREVIOUS_KEYS}, comma-separated). */
    Optional<List<@Pattern(regexp = BASE64_32_BYTES,
            message = "each of SECRETS_PREVIOUS_KEYS must be base64 of 32 bytes") String>> previousKeys();
}
