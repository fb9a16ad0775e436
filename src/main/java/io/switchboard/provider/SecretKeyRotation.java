package io.switchboard.provider;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.ReplicaKeys;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.crypto.SecretsConfig;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Finishes an encryption-key rotation: every provider secret sealed under another key than
 * {@code SECRETS_ENCRYPTION_KEY} is sealed again under it, but only while every live replica ({@link ReplicaKeys})
 * reads that key and writes under it; until then it waits, says why, and looks again every
 * {@code switchboard.secrets.reseal.interval}. Each provider is re-sealed in a transaction that holds the rotation lock
 * and checks the replicas again, so a replica that announced itself meanwhile is never left with values it cannot read.
 * Each value is replaced only if nobody changed it meanwhile, so replicas doing the same at once, or a credential
 * rotation, lose nothing.
 */
@ApplicationScoped
public class SecretKeyRotation {

    private static final Logger LOG = Logger.getLogger(SecretKeyRotation.class);

    private final ProviderSecretRepository repository;
    private final ProviderSecrets secrets;
    private final ReplicaKeys replicas;
    private final Pool pool;
    private final SecretsConfig config;
    private final Vertx vertx;
    /** Providers with a value under another key at the last look; -1 before the first. */
    private final AtomicInteger pending = new AtomicInteger(-1);
    /** Live replicas that kept the last look from re-sealing. */
    private final AtomicInteger blocking = new AtomicInteger();
    private final AtomicBoolean running = new AtomicBoolean();
    private final Set<UUID> undecryptableLogged = ConcurrentHashMap.newKeySet();
    private volatile String lastWait = "";
    private volatile long timer = -1;

    @Inject
    SecretKeyRotation(ProviderSecretRepository repository, ProviderSecrets secrets, ReplicaKeys replicas, Pool pool,
            SecretsConfig config, Vertx vertx, MeterRegistry metrics) {
        this.repository = repository;
        this.secrets = secrets;
        this.replicas = replicas;
        this.pool = pool;
        this.config = config;
        this.vertx = vertx;
        metrics.gauge("switchboard.secrets.reseal.pending", pending);
        metrics.gauge("switchboard.secrets.reseal.blocking.replicas", blocking);
    }

    /** A replica of its own, run by hand: for tests that play several replicas in one process. */
    SecretKeyRotation(ProviderSecretRepository repository, ProviderSecrets secrets, ReplicaKeys replicas, Pool pool) {
        this.repository = repository;
        this.secrets = secrets;
        this.replicas = replicas;
        this.pool = pool;
        this.config = null;
        this.vertx = null;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.reseal().enabled()) {
            LOG.info("secrets: this replica does not re-seal (switchboard.secrets.reseal.enabled=false)");
            return;
        }
        pass();
        timer = vertx.setPeriodic(config.reseal().interval().toMillis(), id -> pass());
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void pass() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        reencryptAll().subscribe().with(count -> {
            running.set(false);
            if (count > 0) {
                LOG.infof("secrets: %d provider value(s) re-sealed under key %s", count, secrets.currentKeyId());
            }
        }, failure -> {
            running.set(false);
            LOG.warnf("secrets: re-sealing provider secrets failed (%s); trying again in %s", failure.getMessage(),
                    config.reseal().interval());
        });
    }

    /**
     * Re-seals what another key sealed, if every live replica reads the current key and writes under it; the number
     * of values changed (0 while it waits).
     */
    public Uni<Integer> reencryptAll() {
        String target = secrets.currentKeyId();
        return repository.findSealedOtherThan(SecretCipher.prefixOf(target)).chain(providers -> {
            pending.set(providers.size());
            if (providers.isEmpty()) {
                waitOver("done");
                return Uni.createFrom().item(0);
            }
            return pool.withTransaction(db -> replicas.lockAndFindBlockers(db, target)).chain(blockers -> {
                if (!blockers.isEmpty()) {
                    waits(target, blockers, providers.size());
                    return Uni.createFrom().item(0);
                }
                waitOver("re-sealing");
                LOG.infof("secrets: every live replica reads key %s; re-sealing %d provider(s)", target,
                        providers.size());
                return Multi.createFrom().iterable(providers)
                        .onItem().transformToUniAndConcatenate(p -> resealChecked(p, target))
                        .collect().with(Collectors.summingInt(Integer::intValue));
            });
        });
    }

    /** One provider, in a transaction that first checks again that no replica unable to read the key appeared. */
    private Uni<Integer> resealChecked(SealedProvider provider, String target) {
        return pool.withTransaction(db -> replicas.lockAndFindBlockers(db, target).chain(blockers -> {
            if (!blockers.isEmpty()) {
                waits(target, blockers, 1);
                return Uni.createFrom().item(0);
            }
            return reseal(db, provider);
        }));
    }

    private Uni<Integer> reseal(SqlClient db, SealedProvider provider) {
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
                if (undecryptableLogged.add(provider.id())) {
                    LOG.errorf("provider %s: %s cannot be decrypted with any key of this replica (%s); left as it is",
                            provider.id(), field, e.getMessage());
                }
                continue;
            }
            changed = changed.chain(n -> repository.replace(db, provider.id(), field, sealed, fresh)
                    .map(replaced -> replaced ? n + 1 : n));
        }
        return changed;
    }

    /** Logged when the replicas in the way change, not every look. */
    private void waits(String target, List<ReplicaKeys.Replica> blockers, int providers) {
        blocking.set(blockers.size());
        String why = blockers.stream()
                .map(r -> r.instanceId() + (r.reads(target) ? " (writes under " + r.current() + ")"
                        : " (reads only " + String.join(",", r.readable()) + ")"))
                .collect(Collectors.joining(", "));
        if (!why.equals(lastWait)) {
            lastWait = why;
            LOG.infof("secrets: re-sealing %d provider(s) under key %s waits for every live replica to read it and "
                    + "write under it; not yet: %s", providers, target, why);
        } else {
            LOG.debugf("secrets: re-sealing under key %s still waits for %s", target, why);
        }
    }

    private void waitOver(String state) {
        blocking.set(0);
        if (!state.equals(lastWait)) {
            lastWait = state;
            if (state.equals("done")) {
                LOG.infof("secrets: every provider secret is sealed under key %s; any other key can leave "
                        + "SECRETS_PREVIOUS_KEYS once no replica writes under it", secrets.currentKeyId());
            }
        }
    }
}
