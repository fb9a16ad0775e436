package io.switchboard.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link OutboundConfig} as the application loads it, and the check that refuses it at start. */
class OutboundConfigTest {

    @Test
    void theDefaultsPassTheCheck() {
        OutboundConfig config = load(Map.of());
        assertThat(config.callsPerSecond()).isEqualTo(1);
        assertThat(config.paceMargin()).isEqualTo(0.03);
        assertThatCode(() -> OutboundDispatcher.check(config)).doesNotThrowAnyException();
    }

    @Test
    void aPaceOfZeroOrLessIsRefusedAtStartNamingTheKey() {
        for (String pace : new String[] { "0", "-2", "0.0" }) {
            assertThatThrownBy(() -> OutboundDispatcher.check(load(Map.of("switchboard.outbound.calls-per-second",
                    pace)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("switchboard.outbound.calls-per-second");
            assertThatThrownBy(() -> OutboundDispatcher.check(load(Map.of("switchboard.outbound.segments-per-second",
                    pace)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("switchboard.outbound.segments-per-second");
        }
        assertThatThrownBy(() -> OutboundDispatcher.check(load(Map.of("switchboard.outbound.pace-margin", "0"))))
                .hasMessageContaining("switchboard.outbound.pace-margin");
    }

    private static OutboundConfig load(Map<String, String> values) {
        return new SmallRyeConfigBuilder()
                .withMapping(OutboundConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter())
                .withSources(new PropertiesConfigSource(values, "test", 500))
                .build()
                .getConfigMapping(OutboundConfig.class);
    }
}
