package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.support.DirectSeed;
import io.switchboard.support.SimAccount;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shutdown path of the inbound-call write-behind queue, against the embedded PostgreSQL: a recorder of the test's
 * own (not the application's bean, whose queue other tests use), held so that its queue fills, then drained as a
 * SIGTERM drains it.
 */
@QuarkusTest
class InboundCallRecorderShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Five full batches and a partial one. */
    private static final int CALLS = 5_500;

    @Inject
    CallEventRepository events;

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @ConfigProperty(name = "switchboard.secrets.encryption-key")
    String encryptionKey;

    private static volatile UUID organizationId;

    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    /** Every sid of this test run starts with it, so the counts below see only this run's calls. */
    private final String prefix = "CAshutdown" + SimAccount.hex(8);

    @BeforeEach
    void organization() throws Exception {
        if (organizationId == null) {
            try (var c = dataSource.getConnection()) {
                organizationId = DirectSeed.seed(c, encryptionKey, 0).organizationId();
            }
        }
    }

    @Test
    void aShutdownWritesEveryQueuedCallAndThenTakesNoMore() {
        var recorder = recorder();
        recorder.hold();
        fill(recorder, CALLS);
        assertThat(recorder.size()).isEqualTo(CALLS);
        assertThat(calls()).as("nothing written while held").isZero();

        var drained = recorder.drainOnShutdown(WAIT);

        assertThat(drained).isEqualTo(new InboundCallRecorder.Drained(CALLS, 0, 0));
        assertThat(recorder.size()).isZero();
        assertThat(calls()).isEqualTo(CALLS);
        assertThat(events()).isEqualTo(CALLS);

        // Answered after the drain: nothing would write it any more, so it is dropped and counted.
        recorder.enqueue(record(prefix + "late"), prefix + "late");
        assertThat(recorder.size()).isZero();
        assertThat(metrics.counter("switchboard.calls.inbound.dropped").count()).isEqualTo(1);
    }

    @Test
    void aDrainThatRunsOutOfTimeAccountsForEveryCallItHeld() {
        var recorder = recorder();
        recorder.hold();
        fill(recorder, CALLS);

        var drained = recorder.drainOnShutdown(Duration.ZERO);

        // No batch of a thousand rows is written in no time: some are left, and every call is in one count.
        assertThat(drained.unwritten()).isPositive();
        assertThat(drained.written() + drained.refused() + drained.unwritten()).isEqualTo(CALLS);
    }

    private InboundCallRecorder recorder() {
        ShutdownConfig shutdown = new ShutdownConfig() {
            @Override
            public Duration outboundTimeout() {
                return WAIT;
            }

            @Override
            public Duration inboundTimeout() {
                return WAIT;
            }
        };
        return new InboundCallRecorder(events, vertx, metrics, () -> Optional.of(10_000), shutdown);
    }

    private void fill(InboundCallRecorder recorder, int count) {
        for (int i = 0; i < count; i++) {
            String sid = prefix + i;
            recorder.enqueue(record(sid), sid);
        }
    }

    private InboundRecord record(String sid) {
        return new InboundRecord(sid, "ringing", OffsetDateTime.now(ZoneOffset.UTC), "{}",
                InboundRecord.VOICE_INBOUND + "|" + sid + "|ringing|", organizationId, "+15105550123",
                "+14155550100", null, null, "ringing", "AC" + SimAccount.hex(16));
    }

    private long calls() {
        return count("select count(*) from call where sid like $1");
    }

    private long events() {
        return count("select count(*) from communication_event where sid like $1 and type = 'voice-inbound'");
    }

    private long count(String sql) {
        return pool.preparedQuery(sql).execute(Tuple.of(prefix + "%")).await().atMost(WAIT).iterator().next()
                .getLong(0);
    }
}
