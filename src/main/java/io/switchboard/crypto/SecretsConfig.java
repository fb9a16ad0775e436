package io.switchboard.crypto;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Keys that encrypt Twilio secrets at rest, and how a rotation between them is coordinated across replicas. */
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

    /** How often a replica announces the key ids it reads in {@code secret_key_reader}. */
    @WithDefault("10s")
    Duration heartbeatInterval();

    /** A replica not heard from for this long counts as gone: a few heartbeats. */
    @WithDefault("35s")
    Duration replicaTimeout();

    /** Re-sealing the stored secrets under the current key, once every live replica reads it. */
    Reseal reseal();

    interface Reseal {

        /** Whether this replica re-seals; when no replica does, values stay under the keys that wrote them. */
        @WithDefault("true")
        boolean enabled();

        /** How often a replica looks for values to re-seal, and whether every live replica can read the key yet. */
        @WithDefault("1m")
        Duration interval();
    }
}
