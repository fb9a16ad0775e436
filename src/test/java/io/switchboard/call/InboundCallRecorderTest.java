package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InboundCallRecorderTest {

    private static final long MIB = 1024 * 1024;

    @Test
    void theDefaultQueueTakesAQuarterOfTheHeapWithinItsBounds() {
        assertThat(InboundCallRecorder.defaultCapacity(80 * MIB)).isEqualTo(20_480);
        assertThat(InboundCallRecorder.defaultCapacity(179 * MIB)).isEqualTo(45_824);
        assertThat(InboundCallRecorder.defaultCapacity(2_048 * MIB)).isEqualTo(50_000);
        assertThat(InboundCallRecorder.defaultCapacity(2 * MIB)).isEqualTo(1_000);
    }
}
