package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.KeyReaderRepository;
import io.switchboard.crypto.ReplicaKeys;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.crypto.SecretsConfig;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Connected;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

@QuarkusTest
class SecretKeyRotationTest {

    @Inject
    Pool pool;

    @Inject
    TwilioSimulator simulator;

    @Inject
    SecretsConfig config;

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "switchboard.secrets.encryption-key")
    String currentKey;

    @Test
    void valuesUnderAPreviousKeyAreResealedUnderTheNewOneAndStillOpen() {
        var c = Connected.create(simulator, 0);
        UUID id = UUID.fromString(c.providerId());
        String before = row(id).getString("auth_token_enc");

        // The operator rotates: a new key, the one that sealed the row moves to the previous keys.
        String newKey = newKey();
        var rotated = new SecretCipher(newKey, List.of(currentKey));
        assertThat(rotated.needsReencryption(before)).isTrue();
        int changed;
        try {
            changed = rotation(rotated).reencryptAll().await().atMost(Duration.ofSeconds(20));
            check(id, rotated, c);
        } finally {
            // Every provider of the shared test database back under the key the running service has.
            rotation(new SecretCipher(currentKey, List.of(newKey))).reencryptAll().await()
                    .atMost(Duration.ofSeconds(20));
        }
        assertThat(changed).isGreaterThanOrEqualTo(2);
        assertThat(new SecretCipher(currentKey, List.of()).needsReencryption(row(id).getString("auth_token_enc")))
                .isFalse();
    }

    private void check(UUID id, SecretCipher rotated, Connected c) {
        Row after = row(id);
        for (String column : List.of("auth_token_enc", "sip_password_enc")) {
            assertThat(rotated.needsReencryption(after.getString(column))).as(column).isFalse();
        }
        String field = "provider:" + id + ":authToken";
        assertThat(rotated.decrypt(after.getString("auth_token_enc"), field)).isEqualTo(c.account().authToken());

        // Done once: a second pass over this row changes nothing.
        rotation(rotated).reencryptAll().await().atMost(Duration.ofSeconds(20));
        assertThat(row(id).getString("auth_token_enc")).isEqualTo(after.getString("auth_token_enc"));
    }

    /**
     * One replica with these keys, as if every other replica read its current key already (what waits for them is
     * {@link KeyRotationAcrossReplicasTest}'s).
     */
    private SecretKeyRotation rotation(SecretCipher cipher) {
        var everyoneReads = new ReplicaKeys(cipher, new KeyReaderRepository(pool), config, vertx, "rotation-test") {
            @Override
            public Uni<List<Replica>> lockAndFindBlockers(SqlClient db, String keyId) {
                return Uni.createFrom().item(List.of());
            }
        };
        return new SecretKeyRotation(new ProviderSecretRepository(pool), new ProviderSecrets(cipher), everyoneReads,
                pool);
    }

    private Row row(UUID id) {
        return pool.preparedQuery("select auth_token_enc, sip_password_enc from provider where id = $1")
                .execute(Tuple.of(id)).await().atMost(Duration.ofSeconds(5)).iterator().next();
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
