package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import org.hibernate.exception.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InboundCallRecorderTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void theDefaultQueueTakesAQuarterOfTheHeapWithinItsBounds() {
        assertThat(InboundCallRecorder.defaultCapacity(80 * MIB)).isEqualTo(20_480);
        assertThat(InboundCallRecorder.defaultCapacity(179 * MIB)).isEqualTo(45_824);
        assertThat(InboundCallRecorder.defaultCapacity(2_048 * MIB)).isEqualTo(50_000);
        assertThat(InboundCallRecorder.defaultCapacity(2 * MIB)).isEqualTo(1_000);
    }

    /** What PostgreSQL refuses for the rows themselves would be refused again: dropped, never retried. */
    @ParameterizedTest
    @ValueSource(strings = { "54000", "22021", "22P02", "22001", "23505", "23514", "42P01" })
    void aRowTheDatabaseRefusesIsNotRetried(String state) {
        assertThat(InboundCallRecorder.isRefused(pg(state))).isTrue();
        assertThat(InboundCallRecorder.isRefused(new RuntimeException("wrapped", pg(state)))).isTrue();
    }

    /** A database that could not be reached, or could not finish this time, is tried again later. */
    @ParameterizedTest
    @ValueSource(strings = { "08006", "08003", "40001", "40P01", "53300", "57P01", "58030" })
    void aDatabaseThatCouldNotBeReachedIsRetried(String state) {
        assertThat(InboundCallRecorder.isRefused(pg(state))).isFalse();
    }

    @Test
    void aFailureWithoutAnAnswerFromPostgresqlIsRetried() {
        assertThat(InboundCallRecorder.isRefused(new ConnectException("Connection refused"))).isFalse();
        assertThat(InboundCallRecorder.isRefused(new IllegalStateException("Timeout"))).isFalse();
        assertThat(InboundCallRecorder.isRefused(pg(null))).isFalse();
        assertThat(InboundCallRecorder.isRefused(new DataException("bad", new java.sql.SQLException("x", "22008"))))
                .isTrue();
    }

    private static PgException pg(String state) {
        return new PgException("refused", "ERROR", state, "detail");
    }
}
