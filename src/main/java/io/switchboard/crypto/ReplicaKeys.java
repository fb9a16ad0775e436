package io.switchboard.crypto;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * What every running replica can decrypt. Each replica announces, in {@code secret_key_reader} and again every
 * heartbeat, the ids of the keys it reads and of its current key. From the live replicas it learns which key new values
 * may be sealed under (its current key once every replica reads it, until then the first of its keys they all read),
 * and whether stored values may be re-sealed under a key ({@link #lockAndFindBlockers}).
 */
@ApplicationScoped
public class ReplicaKeys {

    private static final Logger LOG = Logger.getLogger(ReplicaKeys.class);

    /** One replica as announced: key ids only. */
    public record Replica(String instanceId, List<String> readable, String current) {

        public boolean reads(String keyId) {
            return readable.contains(keyId);
        }
    }

    private final KeyReaderRepository repository;
    private final SecretsConfig config;
    private final Vertx vertx;
    private final Replica self;
    private volatile List<Replica> live;
    private volatile String sealingKeyId;
    private volatile boolean announceFailing;
    private volatile boolean noSharedKey;
    private volatile long timer = -1;

    @Inject
    ReplicaKeys(SecretCipher cipher, KeyReaderRepository repository, SecretsConfig config, Vertx vertx) {
        this(cipher, repository, config, vertx, instanceName());
    }

    /** A replica of its own name: tests run several in one process. */
    public ReplicaKeys(SecretCipher cipher, KeyReaderRepository repository, SecretsConfig config, Vertx vertx,
            String instanceId) {
        this.repository = repository;
        this.config = config;
        this.vertx = vertx;
        this.self = new Replica(instanceId, cipher.readableKeyIds(), cipher.currentKeyId());
        this.live = List.of(self);
        // Until the first announcement answers, the other replicas are not known: a previous key, which a replica
        // not yet given the new one still reads, is the safe choice; with none, the current key.
        var readable = cipher.readableKeyIds();
        this.sealingKeyId = readable.size() > 1 ? readable.get(1) : cipher.currentKeyId();
    }

    /**
     * Announces before anything else starts (the key rotation, the HTTP routes that store new secrets): what this
     * replica writes must be readable by the others from its first value on. The wait is bounded; a database that does
     * not answer in time leaves the announcement to the heartbeat. Start-up observers run on the main thread, not an
     * event loop, so the wait blocks nothing that serves requests.
     */
    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        try {
            announce().await().atMost(config.replicaTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("secrets: announcing this replica's keys failed (%s); trying again every %s", e.getMessage(),
                    config.heartbeatInterval());
        }
        timer = vertx.setPeriodic(config.heartbeatInterval().toMillis(), id -> announce().subscribe().with(ok -> {},
                e -> {}));
    }

    /**
     * Among the last to stop: the dispatcher's sends in flight still use this replica's keys until then. On the main
     * thread, bounded (5 s), within the shutdown's budget.
     */
    void onStop(@Observes @Priority(Interceptor.Priority.PLATFORM_AFTER) ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        try {
            repository.withdraw(self.instanceId()).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.debugf("secrets: this replica's announcement stays until it times out (%s)", e.getMessage());
        }
    }

    /** Refreshes this replica's row and learns the live replicas; completes with them. */
    public Uni<List<Replica>> announce() {
        return repository.announce(self, config.replicaTimeout())
                .invoke(replicas -> {
                    if (announceFailing) {
                        announceFailing = false;
                        LOG.info("secrets: announcing this replica's keys works again");
                    }
                    learn(replicas);
                })
                .onFailure().invoke(e -> {
                    if (!announceFailing) {
                        announceFailing = true;
                        LOG.warnf("secrets: announcing this replica's keys failed (%s); new values stay under key %s",
                                e.getMessage(), sealingKeyId);
                    }
                });
    }

    /**
     * In the caller's transaction: takes the rotation lock (held until the transaction ends, so no replica announces
     * meanwhile) and returns the live replicas that do not read {@code keyId} or write under another key.
     */
    public Uni<List<Replica>> lockAndFindBlockers(SqlClient db, String keyId) {
        return repository.lockAndFindBlockers(db, keyId, config.replicaTimeout());
    }

    /** The key new values are sealed under: one that every live replica reads. */
    public String sealingKeyId() {
        return sealingKeyId;
    }

    /** The live replicas as last learned, this one included. */
    public List<Replica> live() {
        return live;
    }

    public Replica self() {
        return self;
    }

    private void learn(List<Replica> replicas) {
        var all = replicas.stream().anyMatch(r -> r.instanceId().equals(self.instanceId())) ? replicas
                : concat(replicas);
        live = List.copyOf(all);
        String chosen = chooseSealingKey(all);
        if (!Objects.equals(chosen, sealingKeyId)) {
            LOG.infof("secrets: new values are now sealed under key %s (this replica's current key: %s)", chosen,
                    self.current());
        }
        sealingKeyId = chosen;
    }

    /** This replica's first key (its current one, then its previous ones in order) that every live replica reads. */
    String chooseSealingKey(List<Replica> replicas) {
        for (String keyId : self.readable()) {
            if (replicas.stream().allMatch(r -> r.reads(keyId))) {
                noSharedKey = false;
                return keyId;
            }
        }
        if (!noSharedKey) {
            noSharedKey = true;
            LOG.errorf("secrets: no key of this replica is readable by every live replica (%s); sealing under its "
                    + "current key %s, which some of them cannot read", replicas, self.current());
        }
        return self.current();
    }

    private List<Replica> concat(List<Replica> replicas) {
        var all = new ArrayList<>(replicas);
        all.add(self);
        return all;
    }

    /** The pod's name where there is one, and a random suffix: a restarted pod is a new replica. */
    private static String instanceName() {
        String host = System.getenv("HOSTNAME");
        String suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        return (host == null || host.isBlank() ? "replica" : host.strip()) + "-" + suffix;
    }
}
