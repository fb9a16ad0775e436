package io.switchboard.provider;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Finishes an encryption-key rotation: after start-up, every provider secret still sealed under a key now listed in
 * {@code SECRETS_PREVIOUS_KEYS} is sealed again under {@code SECRETS_ENCRYPTION_KEY}. Each value is replaced only if
 * nobody changed it meanwhile, so replicas doing the same at once, or a credential rotation, lose nothing. Once the log
 * says nothing is left under an old key, that key can be dropped from {@code SECRETS_PREVIOUS_KEYS}.
 */
@ApplicationScoped
public class SecretKeyRotation {

    private static final Logger LOG = Logger.getLogger(SecretKeyRotation.class);

    private final ProviderSecretRepository repository;
    private final ProviderSecrets secrets;

    SecretKeyRotation(ProviderSecretRepository repository, ProviderSecrets secrets) {
        this.repository = repository;
        this.secrets = secrets;
    }

    void onStart(@Observes StartupEvent event) {
        reencryptAll().subscribe().with(
                count -> LOG.infof("secrets under the current key: %d provider value(s) re-encrypted", count),
                failure -> LOG.warnf("re-encrypting provider secrets failed (%s); the next start tries again",
                        failure.getMessage()));
    }

    /** Re-seals what an older key sealed; the number of values changed. */
    public Uni<Integer> reencryptAll() {
        return repository.findAll()
                .onItem().transformToMulti(providers -> Multi.createFrom().iterable(providers))
                .onItem().transformToUniAndConcatenate(this::reencrypt)
                .collect().with(Collectors.summingInt(Integer::intValue));
    }

    private Uni<Integer> reencrypt(SealedProvider provider) {
        Uni<Integer> changed = Uni.createFrom().item(0);
        for (SecretField field : SecretField.values()) {
            String sealed = provider.sealed(field);
            if (!secrets.needsResealing(sealed)) {
                continue;
            }
            String fresh;
            try {
                fresh = secrets.reseal(provider.id(), field, sealed);
            } catch (RuntimeException e) {
                LOG.errorf("provider %s: %s cannot be decrypted with any configured key (%s)", provider.id(),
                        field, e.getMessage());
                continue;
            }
            changed = changed.chain(n -> repository.replace(provider.id(), field, sealed, fresh)
                    .map(replaced -> replaced ? n + 1 : n));
        }
        return changed;
    }
}
