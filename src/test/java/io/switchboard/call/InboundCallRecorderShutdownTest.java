package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.support.Await;
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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The shutdown path and the back-pressure of the inbound-call write-behind queue, against the embedded PostgreSQL: a
 * recorder of the test's own (not the application's bean, whose queue other tests use), held so that its queue
 * fills, then drained as a SIGTERM drains it, or resumed.
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
        recorder.enqueue(record(prefix + "late"), prefix + "late", null);
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

    @Test
    void overHalfFullAnAnswerWaitsUntilTheQueueIsWrittenBackUnderHalf() {
        var recorder = recorder(10_000, WAIT.multipliedBy(2));
        recorder.hold();
        fill(recorder, 4_999);
        var given = new AtomicInteger();

        recorder.enqueue(record(prefix + "half"), prefix + "half", given::incrementAndGet);
        assertThat(given).as("at half full an answer goes at once").hasValue(1);
        recorder.enqueue(record(prefix + "over"), prefix + "over", given::incrementAndGet);
        assertThat(given).as("over half full it waits").hasValue(1);
        assertThat(recorder.heldAnswers()).isEqualTo(1);

        recorder.resume();
        Await.until(WAIT, () -> given.get() == 2, "the held answer to go once the queue is written");
        assertThat(recorder.size()).isLessThanOrEqualTo(5_000);
        recorder.drainOnShutdown(WAIT);
        assertThat(calls()).as("every call answered is recorded").isEqualTo(5_001);
    }

    @Test
    void aHeldAnswerGoesAfterTheBoundWhileTheQueueStaysFull() {
        var hold = Duration.ofMillis(300);
        var recorder = recorder(10_000, hold);
        recorder.hold();
        fill(recorder, 5_001);
        var given = new AtomicLong();
        long start = System.nanoTime();

        recorder.enqueue(record(prefix + "held"), prefix + "held", () -> given.set(System.nanoTime()));
        assertThat(given).hasValue(0);

        Await.until(Duration.ofSeconds(10), () -> given.get() != 0, "the held answer to go after its bound");
        assertThat(Duration.ofNanos(given.get() - start)).isGreaterThanOrEqualTo(hold);
        assertThat(recorder.size()).as("still recorded: nothing was dropped").isEqualTo(5_002);
        recorder.drainOnShutdown(WAIT);
    }

    /**
     * A database that cannot take the writes (the call table locked past the statement timeout) holds no caller: the
     * answers held are given as soon as a write fails, and the calls are still written once the lock is gone.
     */
    @Test
    void whileTheDatabaseFailsNoAnswerIsHeld() throws Exception {
        var recorder = recorder(10_000, WAIT.multipliedBy(2));
        recorder.hold();
        fill(recorder, 5_001);
        var given = new AtomicInteger();
        recorder.enqueue(record(prefix + "held"), prefix + "held", given::incrementAndGet);
        assertThat(given).hasValue(0);

        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().execute("lock table call in access exclusive mode");
            recorder.resume();
            Await.until(WAIT, () -> given.get() == 1, "the held answer to go once a write failed");
            recorder.enqueue(record(prefix + "during"), prefix + "during", given::incrementAndGet);
            assertThat(given).as("nothing held while the writes fail").hasValue(2);
            c.rollback();
        }
        recorder.drainOnShutdown(WAIT);
        assertThat(calls()).isEqualTo(5_003);
    }

    private InboundCallRecorder recorder() {
        return recorder(10_000, Duration.ofMillis(500));
    }

    private InboundCallRecorder recorder(int capacity, Duration answerHold) {
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
        CallsConfig calls = new CallsConfig() {
            @Override
            public Optional<Integer> inboundQueueCapacity() {
                return Optional.of(capacity);
            }

            @Override
            public Duration inboundAnswerHold() {
                return answerHold;
            }
        };
        return new InboundCallRecorder(events, vertx, metrics, calls, shutdown);
    }

    private void fill(InboundCallRecorder recorder, int count) {
        for (int i = 0; i < count; i++) {
            String sid = prefix + i;
            recorder.enqueue(record(sid), sid, null);
        }
    }

    private InboundRecord record(String sid) {
        return new InboundRecord(sid, "ringing", OffsetDateTime.now(ZoneOffset.UTC), "CallSid=" + sid, null,
                organizationId, "+15105550123",
                "+14155550100", null, null, "ringing", "AC" + SimAccount.hex(16));
    }

    private long calls() {
        return count("select count(*) from call where sid like $1");
    }

    private long events() {
        return count("select count(*) from call where sid like $1 and inbound_form is not null");
    }

    private long count(String sql) {
        return pool.preparedQuery(sql).execute(Tuple.of(prefix + "%")).await().atMost(WAIT).iterator().next()
                .getLong(0);
    }
}
