package io.switchboard.provider;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.SecretCipher;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Finishes an encryption-key rotation: after start-up, every provider secret still sealed under a key now listed in
 * {@code SECRETS_PREVIOUS_KEYS} is sealed again under {@code SECRETS_ENCRYPTION_KEY}. Each row is updated only if
 * nobody changed it meanwhile, so replicas doing the same at once, or a credential rotation, lose nothing. Once the log
 * says nothing is left under an old key, that key can be dropped from {@code SECRETS_PREVIOUS_KEYS}.
 */
@ApplicationScoped
public class SecretKeyRotation {

    private static final Logger LOG = Logger.getLogger(SecretKeyRotation.class);
    /** Column and the field name its values are bound to (see {@link ProviderSecrets}). */
    private static final List<String[]> SEALED = List.of(
            new String[] {"auth_token_enc", "authToken"},
            new String[] {"api_key_secret_enc", "apiKeySecret"},
            new String[] {"previous_auth_token_enc", "previousAuthToken"},
            new String[] {"sip_password_enc", "sipPassword"});

    private final Pool pool;
    private final SecretCipher cipher;

    public SecretKeyRotation(Pool pool, SecretCipher cipher) {
        this.pool = pool;
        this.cipher = cipher;
    }

    void onStart(@Observes StartupEvent event) {
        reencryptAll().subscribe().with(
                count -> LOG.infof("secrets under the current key: %d provider value(s) re-encrypted", count),
                failure -> LOG.warnf("re-encrypting provider secrets failed (%s); the next start tries again",
                        failure.getMessage()));
    }

    /** Re-seals what an older key sealed; the number of values changed. */
    public Uni<Integer> reencryptAll() {
        return pool.query("select id, auth_token_enc, api_key_secret_enc, previous_auth_token_enc, sip_password_enc"
                        + " from provider").execute()
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(this::reencrypt)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> reencrypt(Row row) {
        UUID id = row.getUUID("id");
        Uni<Integer> changed = Uni.createFrom().item(0);
        for (String[] column : SEALED) {
            String sealed = row.getString(column[0]);
            if (sealed == null || !cipher.needsReencryption(sealed)) {
                continue;
            }
            String fresh;
            try {
                fresh = cipher.reencrypt(sealed, "provider:" + id + ":" + column[1]);
            } catch (RuntimeException e) {
                LOG.errorf("provider %s: %s cannot be decrypted with any configured key (%s)", id, column[1],
                        e.getMessage());
                continue;
            }
            // Compare and set: a value someone replaced meanwhile is theirs to keep.
            String sql = "update provider set " + column[0] + " = $1 where id = $2 and " + column[0] + " = $3";
            changed = changed.chain(n -> pool.preparedQuery(sql).execute(Tuple.of(fresh, id, sealed))
                    .map(result -> n + result.rowCount()));
        }
        return changed;
    }
}
