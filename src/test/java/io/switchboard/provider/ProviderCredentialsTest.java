package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Connected;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ProviderCredentialsTest {

    @Inject
    Pool pool;

    @Inject
    TwilioSimulator simulator;

    @Inject
    ProviderCredentials credentials;

    @Test
    void aPreviousTokenThatNoLongerOpensLeavesTheCurrentOneInForce() {
        var c = Connected.create(simulator, 0);
        UUID id = UUID.fromString(c.providerId());
        // Sealed under a key this service no longer has, and still in its grace period.
        String unreadable = new SecretCipher(newKey(), List.of()).encrypt("0".repeat(32),
                "provider:" + id + ":previousAuthToken");
        pool.preparedQuery("""
                update provider set previous_auth_token_enc = $2, previous_auth_token_expires_at = $3
                 where id = $1""").execute(Tuple.of(id, unreadable, OffsetDateTime.now().plusHours(1)))
                .await().atMost(Duration.ofSeconds(5));

        var keys = credentials.signingKeys(id).await().atMost(Duration.ofSeconds(5));

        assertThat(keys).singleElement().satisfies(k -> {
            assertThat(k.authToken()).isEqualTo(c.account().authToken());
            assertThat(k.previousAuthToken()).isNull();
            assertThat(k.previousExpiresAt()).isNull();
        });
    }

    @Test
    void aCurrentTokenThatNoLongerOpensLeavesNoKeys() {
        var c = Connected.create(simulator, 0);
        UUID id = UUID.fromString(c.providerId());
        String unreadable = new SecretCipher(newKey(), List.of()).encrypt("1".repeat(32),
                "provider:" + id + ":authToken");
        String original = pool.preparedQuery("select auth_token_enc from provider where id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next()
                .getString("auth_token_enc");
        try {
            pool.preparedQuery("update provider set auth_token_enc = $2 where id = $1")
                    .execute(Tuple.of(id, unreadable)).await().atMost(Duration.ofSeconds(5));

            assertThat(credentials.signingKeys(id).await().atMost(Duration.ofSeconds(5))).isEmpty();
        } finally {
            pool.preparedQuery("update provider set auth_token_enc = $2 where id = $1")
                    .execute(Tuple.of(id, original)).await().atMost(Duration.ofSeconds(5));
        }
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
