package io.switchboard.crypto;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.List;

public class CryptoProducer {

    /** Built at start-up, so a malformed key stops the service before it serves anything. */
    @Produces
    @Startup
    @ApplicationScoped
    SecretCipher secretCipher(SecretsConfig config) {
        return new SecretCipher(config.encryptionKey(), config.previousKeys().orElse(List.of()));
    }
}
