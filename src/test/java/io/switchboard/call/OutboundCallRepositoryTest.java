package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.outbound.DispatchState;
import io.switchboard.support.DirectSeed;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Canceling a batch, and what the call kind tells the dispatch about a call's row, against the embedded PostgreSQL
 * without HTTP. The batch gets no pace row, so the dispatcher of the running application never claims its calls.
 */
@QuarkusTest
class OutboundCallRepositoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    OutboundCallRepository repository;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "switchboard.secrets.encryption-key")
    String encryptionKey;

    record Batch(DirectSeed.Seeded seeded, UUID batchId, UUID[] calls) {
    }

    @Test
    void cancelingLeavesAClaimedCallAloneAndCancelsTheWaitingOnes() throws Exception {
        var batch = batch(3);
        UUID claimed = batch.calls()[0];
        pool.preparedQuery("""
                update call set dispatch_state = $2, claimed_until = now() + interval '1 hour', attempts = 1
                 where id = $1""").execute(Tuple.of(claimed, DispatchState.PLACING.value())).await().atMost(WAIT);

        assertThat(cancel(batch.seeded().organizationId(), batch.batchId())).isEqualTo(2);

        Row placing = call(claimed);
        assertThat(placing.getString("dispatch_state")).isEqualTo(DispatchState.PLACING.value());
        assertThat(placing.getString("status")).isEqualTo("queued");
        assertThat(placing.getOffsetDateTime("ended_at")).isNull();
        for (int i = 1; i < 3; i++) {
            Row canceled = call(batch.calls()[i]);
            assertThat(canceled.getString("dispatch_state")).isEqualTo(DispatchState.DONE.value());
            assertThat(canceled.getString("status")).isEqualTo("canceled");
            assertThat(canceled.getOffsetDateTime("ended_at")).isNotNull();
        }
        // Again: nothing left to cancel. Another organization's batch is not found.
        assertThat(cancel(batch.seeded().organizationId(), batch.batchId())).isZero();
        assertThat(cancel(UUID.randomUUID(), batch.batchId())).isNull();
        assertThat(cancel(batch.seeded().organizationId(), UUID.randomUUID())).isNull();

        pool.preparedQuery("update call set dispatch_state = $2, claimed_until = null where id = $1")
                .execute(Tuple.of(claimed, DispatchState.DONE.value())).await().atMost(WAIT);
    }

    @Test
    void aCallOfACanceledBatchIsWithdrawnAndItsClaimBringsTheAgentsRecording() throws Exception {
        var batch = batch(1);
        UUID id = batch.calls()[0];
        assertThat(withdrawn(id)).isFalse();
        assertThat(pool.preparedQuery("select " + OutboundCallRepository.DISPATCH.claimedColumns()
                + " from call t where t.id = $1").execute(Tuple.of(id)).await().atMost(WAIT)
                .iterator().next().getString("recording")).isEqualTo("off");

        cancel(batch.seeded().organizationId(), batch.batchId());

        assertThat(withdrawn(id)).isTrue();
    }

    private Batch batch(int size) throws Exception {
        DirectSeed.Seeded seeded;
        try (var c = dataSource.getConnection()) {
            seeded = DirectSeed.seed(c, encryptionKey, 1);
        }
        var from = pool.withTransaction(db -> repository.findCallerId(db, seeded.organizationId(), seeded.agentId(),
                null)).await().atMost(WAIT);
        UUID batchId = UUID.randomUUID();
        var ids = new UUID[size];
        var targets = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = UUID.randomUUID();
            targets[i] = "+1415555" + String.format("%04d", i);
        }
        var now = OffsetDateTime.now(ZoneOffset.UTC);
        pool.withTransaction(
                db -> repository.insertBatch(db, seeded.organizationId(), batchId, seeded.agentId(), from, null,
                        ids, targets, new String[size], null, null, null, null, null, now))
                .await().atMost(WAIT);
        return new Batch(seeded, batchId, ids);
    }

    private Long cancel(UUID organizationId, UUID batchId) {
        return pool.withTransaction(db -> repository.cancelBatch(db, organizationId, batchId)).await().atMost(WAIT);
    }

    private Row call(UUID id) {
        return pool.preparedQuery("select * from call where id = $1").execute(Tuple.of(id)).await().atMost(WAIT)
                .iterator().next();
    }

    private boolean withdrawn(UUID id) {
        return pool.preparedQuery("select " + OutboundCallRepository.DISPATCH.withdrawn()
                + " as withdrawn from call t where t.id = $1").execute(Tuple.of(id)).await().atMost(WAIT)
                .iterator().next().getBoolean("withdrawn");
    }
}
