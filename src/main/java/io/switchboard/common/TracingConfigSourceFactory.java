package io.switchboard.common;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Tracing is on exactly when there is somewhere to send the spans: with no OTLP endpoint configured the OpenTelemetry
 * SDK is switched off (no span is made, nothing tries to export to the default {@code localhost:4317}); setting
 * {@code QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT} (or the traces-only endpoint) is all it takes to switch it on. An
 * explicit {@code quarkus.otel.sdk.disabled} anywhere wins over this default, which has the lowest priority.
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

    static final String DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().map(context::getValue).anyMatch(TracingConfigSourceFactory::isSet);
        return List.of(new PropertiesConfigSource(Map.of(DISABLED, Boolean.toString(!endpoint)), "tracing-default",
                ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    /**
     * Set by the operator: the extension's own default ({@code http://localhost:4317/}) comes from a source below
     * this one and does not count.
     */
    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > ORDINAL;
    }
}
