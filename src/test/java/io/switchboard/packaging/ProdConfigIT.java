package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The packaged service refuses to start in prod without each required key, and says which one. */
class ProdConfigIT {

    private static final Map<String, String> COMPLETE = Map.of(
            "ADMIN_TOKEN", "it-admin-token-not-a-secret-0123456789",
            "SECRETS_ENCRYPTION_KEY", "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=",
            "TWILIO_WEBHOOK_PUBLIC_BASE_URL", "https://hooks.example.com",
            // Nothing listens here: the service must stop on the missing key before it would need the database.
            "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:1/none",
            "QUARKUS_DATASOURCE_USERNAME", "nobody",
            "QUARKUS_DATASOURCE_PASSWORD", "nothing");

    @ParameterizedTest
    @ValueSource(strings = { "ADMIN_TOKEN", "SECRETS_ENCRYPTION_KEY", "TWILIO_WEBHOOK_PUBLIC_BASE_URL" })
    void refusesToStartWithoutARequiredKey(String missing) throws Exception {
        var env = new HashMap<>(COMPLETE);
        env.remove(missing);
        try (var app = PackagedApp.start(env)) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(app.output()).contains(missing);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "it-admin-token", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
    void refusesAWeakAdminToken(String token) throws Exception {
        var env = new HashMap<>(COMPLETE);
        env.put("ADMIN_TOKEN", token);
        try (var app = PackagedApp.start(env)) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(app.output()).contains("ADMIN_TOKEN").doesNotContain(token);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "c2hvcnQ=", "not base64!" })
    void refusesAMalformedEncryptionKey(String key) throws Exception {
        var env = new HashMap<>(COMPLETE);
        env.put("SECRETS_ENCRYPTION_KEY", key);
        try (var app = PackagedApp.start(env)) {
            assertThat(app.awaitExit(Duration.ofSeconds(60))).isNotZero();
            assertThat(app.output()).contains("SECRETS_ENCRYPTION_KEY").doesNotContain(key);
        }
    }
}
