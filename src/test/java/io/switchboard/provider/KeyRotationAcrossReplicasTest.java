package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.KeyReaderRepository;
import io.switchboard.crypto.ReplicaKeys;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.crypto.SecretsConfig;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An encryption-key rotation rolled one replica at a time, against the one database. Replica A is the running
 * application (key 1 only, the test key), serving real webhooks and dispatching real calls to the simulator. Replica B
 * (key 2 current, key 1 previous) and A after its restart (the same keys as B) are the rotation's components built by
 * hand with their own keys, as their processes would build them. Nothing is re-sealed while A reads key 1 only; once
 * both read key 2 it is, and both open every value. A, should it still run unannounced after that, keeps its webhook
 * tokens and leaves its calls and messages waiting rather than refusing or failing them.
 */
@QuarkusTest
class KeyRotationAcrossReplicasTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    TwilioSimulator simulator;

    @Inject
    SecretsConfig config;

    @Inject
    Vertx vertx;

    @Inject
    ReplicaKeys applicationKeys;

    @Inject
    MeterRegistry metrics;

    @ConfigProperty(name = "switchboard.secrets.encryption-key")
    String key1;

    /** One replica's share of the rotation: what its process would build from its keys. */
    record Replica(ReplicaKeys keys, ProviderSecrets secrets, ProviderCredentials credentials,
            SecretKeyRotation rotation) {
    }

    @Test
    void aRotationRolledReplicaByReplicaRefusesNothingAndFailsNothing() {
        var c = Connected.create(simulator, 2);
        String agentId = c.createAgent(Map.of("name", "Rotation", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        UUID id = UUID.fromString(c.providerId());
        String token = c.account().authToken();
        String key2 = newKey();
        String id1 = new SecretCipher(key1, List.of()).currentKeyId();
        String id2 = new SecretCipher(key2, List.of()).currentKeyId();
        var started = new ArrayList<Replica>();
        String waiting;
        String waitingMessage;
        try {
            // B joins, key 2 current, while A reads key 1 only.
            var b = replica("replica-b", new SecretCipher(key2, List.of(key1)), started);
            b.keys().announce().await().atMost(WAIT);
            assertThat(b.keys().live()).extracting(ReplicaKeys.Replica::instanceId)
                    .contains(applicationKeys.self().instanceId(), "replica-b");
            assertThat(b.keys().sealingKeyId()).as("B writes new values under a key A reads").isEqualTo(id1);
            assertThat(b.rotation().reencryptAll().await().atMost(WAIT)).as("values re-sealed while A is live")
                    .isZero();
            assertThat(sealedUnder(id)).containsOnly(id1);
            String writtenByB = b.secrets().seal(provider(id), SecretField.AUTH_TOKEN, token);
            assertThat(new SecretCipher(key1, List.of()).decrypt(writtenByB, "provider:" + id + ":authToken"))
                    .isEqualTo(token);
            assertThat(b.credentials().find(id).await().atMost(WAIT).authToken()).isEqualTo(token);
            inboundCallAccepted(c);
            String first = createCall(c, agentId);
            Await.until(WAIT, () -> "completed".equals(call(first).getString("status")), "A to place the call");

            // A restarts with key 2 current and key 1 previous: its old announcement goes, the new one comes.
            withdraw(applicationKeys.self().instanceId());
            var a = replica("replica-a-restarted", new SecretCipher(key2, List.of(key1)), started);
            a.keys().announce().await().atMost(WAIT);
            b.keys().announce().await().atMost(WAIT);
            assertThat(b.keys().sealingKeyId()).isEqualTo(id2);
            assertThat(a.keys().sealingKeyId()).isEqualTo(id2);
            double undecryptable = undecryptableCount();

            assertThat(b.rotation().reencryptAll().await().atMost(WAIT)).isGreaterThanOrEqualTo(2);
            assertThat(sealedUnder(id)).containsOnly(id2);
            for (Replica r : List.of(a, b)) {
                assertThat(r.credentials().find(id).await().atMost(WAIT).authToken()).isEqualTo(token);
                assertThat(r.credentials().loadSigningKeys(id).await().atMost(WAIT).undecryptable()).isEmpty();
            }
            assertThat(a.rotation().reencryptAll().await().atMost(WAIT)).as("a second pass changes nothing").isZero();

            // The old A, were it still running unannounced, learns of the change and cannot open the new values:
            // it keeps the token it had, and leaves its calls waiting.
            Await.until(WAIT, () -> undecryptableCount() > undecryptable, "A to reload the re-sealed provider");
            inboundCallAccepted(c);
            waiting = createCall(c, agentId);
            Await.until(WAIT, () -> String.valueOf(call(waiting).getString("dispatch_error"))
                    .contains("cannot be decrypted"), "A to find the call's credentials unreadable");
            Row held = call(waiting);
            assertThat(held.getString("status")).isEqualTo("queued");
            assertThat(held.getString("dispatch_state")).isEqualTo("waiting");
            assertThat(held.getString("dispatch_error")).doesNotContain(token);
            waitingMessage = sendMessage(c);
            Await.until(WAIT, () -> String.valueOf(message(waitingMessage).getString("dispatch_error"))
                    .contains("cannot be decrypted"), "A to find the message's credentials unreadable");
            assertThat(message(waitingMessage).getString("status")).isEqualTo("queued");
        } finally {
            // Back under key 1 for the rest of the suite, by a replica with key 1 current once A announces again.
            started.forEach(r -> withdraw(r.keys().self().instanceId()));
            applicationKeys.announce().await().atMost(WAIT);
            var restore = replica("restore", new SecretCipher(key1, List.of(key2)), new ArrayList<>());
            restore.keys().announce().await().atMost(WAIT);
            restore.rotation().reencryptAll().await().atMost(WAIT);
            withdraw("restore");
        }
        assertThat(sealedUnder(id)).containsOnly(id1);
        Await.until(WAIT, () -> "completed".equals(call(waiting).getString("status")),
                "the call that waited to be placed once A reads its provider again");
        Await.until(WAIT, () -> message(waitingMessage).getString("sid") != null,
                "the message that waited to be sent once A reads its provider again");
        assertThat(count("select count(*) from call where provider_id = $1 and status = 'failed'", id)).isZero();
        assertThat(count("select count(*) from message where provider_id = $1 and status = 'failed'", id)).isZero();
    }

    /**
     * A replica announcing itself while a re-seal is under way waits for it: either the re-seal's check saw the
     * replica, or the replica's first read sees the re-sealed values. Never a value re-sealed after a check that missed
     * a replica already reading.
     */
    @Test
    void anAnnouncementWaitsForTheResealInProgress() throws Exception {
        var started = new ArrayList<Replica>();
        try {
            var b = replica("replica-b-lock", new SecretCipher(newKey(), List.of(key1)), started);
            var late = replica("replica-late", new SecretCipher(key1, List.of()), started);
            var release = new CompletableFuture<Void>();
            var resealing = pool.withTransaction(db -> b.keys().lockAndFindBlockers(db, b.keys().self().current())
                    .chain(blockers -> Uni.createFrom().completionStage(release).replaceWith(blockers)))
                    .subscribeAsCompletionStage();
            Thread.sleep(300);
            var announced = late.keys().announce().subscribeAsCompletionStage();
            Thread.sleep(500);
            assertThat(announced).as("announced while the re-seal holds the lock").isNotDone();

            release.complete(null);
            assertThat(resealing.get(5, TimeUnit.SECONDS)).extracting(ReplicaKeys.Replica::instanceId)
                    .doesNotContain("replica-late");
            assertThat(announced.get(5, TimeUnit.SECONDS)).extracting(ReplicaKeys.Replica::instanceId)
                    .contains("replica-late");
            // The next re-seal sees it, and waits.
            assertThat(pool.withTransaction(db -> b.keys().lockAndFindBlockers(db, b.keys().self().current()))
                    .await().atMost(WAIT)).extracting(ReplicaKeys.Replica::instanceId).contains("replica-late");
        } finally {
            started.forEach(r -> withdraw(r.keys().self().instanceId()));
        }
    }

    private Replica replica(String name, SecretCipher cipher, List<Replica> started) {
        var keys = new ReplicaKeys(cipher, new KeyReaderRepository(pool), config, vertx, name);
        var secrets = new ProviderSecrets(cipher, keys);
        var repository = new ProviderSecretRepository(pool);
        var replica = new Replica(keys, secrets, new ProviderCredentials(repository, secrets),
                new SecretKeyRotation(repository, secrets, keys, pool));
        started.add(replica);
        return replica;
    }

    /** A signed inbound call to the account's imported number is answered, not refused. */
    private static void inboundCallAccepted(Connected c) {
        SignedWebhook.post("/twilio/voice/inbound",
                SignedWebhook.inboundCall(c.account().accountSid(), SimAccount.randomNumber(), c.number(0)),
                c.account().authToken()).then().statusCode(200);
    }

    private static String createCall(Connected c, String agentId) {
        return Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of(SimAccount.randomNumber())))
                .post("/v1/calls").then().statusCode(202).extract().path("calls[0].id");
    }

    private static String sendMessage(Connected c) {
        return Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", "Your table is ready"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");
    }

    private Row message(String messageId) {
        return pool.preparedQuery("select status, sid, dispatch_error from message where id = $1")
                .execute(Tuple.of(UUID.fromString(messageId))).await().atMost(WAIT).iterator().next();
    }

    private Row call(String callId) {
        return pool.preparedQuery("select status, dispatch_state, dispatch_error from call where id = $1")
                .execute(Tuple.of(UUID.fromString(callId))).await().atMost(WAIT).iterator().next();
    }

    /** The ids of the keys the provider's stored values name. */
    private List<String> sealedUnder(UUID id) {
        Row row = pool.preparedQuery("select * from provider where id = $1").execute(Tuple.of(id)).await()
                .atMost(WAIT).iterator().next();
        var keys = new ArrayList<String>();
        for (SecretField field : SecretField.values()) {
            String sealed = row.getString(field.column());
            if (sealed != null) {
                keys.add(SecretCipher.keyIdOf(sealed));
            }
        }
        assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
        return keys;
    }

    private double undecryptableCount() {
        var counter = metrics.find("switchboard.secrets.undecryptable").counter();
        return counter == null ? 0 : counter.count();
    }

    private void withdraw(String instanceId) {
        pool.preparedQuery("delete from secret_key_reader where instance_id = $1").execute(Tuple.of(instanceId))
                .await().atMost(WAIT);
    }

    private long count(String sql, UUID id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static Provider provider(UUID id) {
        var provider = new Provider();
        provider.id = id;
        return provider;
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
