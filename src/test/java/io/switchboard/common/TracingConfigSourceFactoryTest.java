package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracingConfigSourceFactoryTest {

    @Test
    void tracingIsOffWithoutAnEndpoint() {
        assertThat(disabled(config(Map.of()))).isTrue();
    }

    @Test
    void anEndpointSwitchesItOn() {
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317"))))
                .isFalse();
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4317"))))
                .isFalse();
    }

    @Test
    void anExplicitSettingWins() {
        assertThat(disabled(config(Map.of("quarkus.otel.exporter.otlp.endpoint", "http://collector:4317",
                "quarkus.otel.sdk.disabled", "true")))).isTrue();
    }

    private static SmallRyeConfig config(Map<String, String> environment) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(environment, "environment", 300))
                .withSources(new TracingConfigSourceFactory())
                .build();
    }

    private static boolean disabled(SmallRyeConfig config) {
        return config.getValue(TracingConfigSourceFactory.DISABLED, Boolean.class);
    }
}
