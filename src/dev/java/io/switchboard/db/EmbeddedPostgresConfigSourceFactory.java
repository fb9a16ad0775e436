package io.switchboard.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * In dev mode and tests, with no datasource URL configured, starts a real PostgreSQL from binaries on the class path
 * and points the datasource at it, so that {@code ./mvnw quarkus:dev} and the tests need no Docker and no installed
 * database. In any other profile it does nothing; the binaries are not even in the packaged application (they are a
 * {@code provided} dependency), so production always uses the database it is given.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigSourceFactory {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String ENABLED = "switchboard.embedded-postgres.enabled";
    /** Where dev mode keeps its database (and the simulator its accounts); {@code ./mvnw clean} deletes it. */
    static final String DATA_DIRECTORY = "switchboard.dev.data-directory";
    static final String DEFAULT_DATA = "target/dev-data";
    /** {@code -Dswitchboard.dev.reset=true}: dev mode starts from an empty database and a fresh simulator. */
    static final String RESET = "switchboard.dev.reset";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        List<String> profiles = context.getProfiles();
        if (!profiles.contains("dev") && !profiles.contains("test")) {
            return List.of();
        }
        if (isSet(context.getValue(REACTIVE_URL)) || "false".equals(valueOf(context.getValue(ENABLED)))) {
            return List.of();
        }
        // Only dev mode keeps its data between runs; every test run starts from an empty database.
        boolean dev = profiles.contains("dev");
        Optional<Path> devData = dev ? Optional.of(Path.of(valueOr(context.getValue(DATA_DIRECTORY), DEFAULT_DATA)))
                : Optional.empty();
        boolean reset = dev && "true".equals(valueOf(context.getValue(RESET)));
        EmbeddedPostgres.Connection db = EmbeddedPostgres.startOnce(devData, reset);
        return List.of(new PropertiesConfigSource(Map.of(
                REACTIVE_URL, db.reactiveUrl(),
                "quarkus.datasource.username", db.username(),
                "quarkus.datasource.password", db.password()),
                "embedded-postgresql", 150));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(150);
    }

    private static boolean isSet(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static String valueOr(ConfigValue value, String fallback) {
        return isSet(value) ? value.getValue() : fallback;
    }

    private static String valueOf(ConfigValue value) {
        return value == null ? null : value.getValue();
    }
}
