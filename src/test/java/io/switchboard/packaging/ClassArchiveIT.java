package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-up the README promises rests on one mechanism: a training start writes a class archive, and every later
 * start takes the service's classes from it instead of loading, verifying and linking them. This checks the mechanism
 * on the packaged jar, with the JVM the tests run on. How fast it makes a start is the benchmark's to measure, not a
 * test's.
 */
class ClassArchiveIT {

    private static final String FROM_ARCHIVE = " source: shared objects file (top)";

    @Test
    void aTrainingStartWritesAnArchiveThatLaterStartsTakeTheServiceFrom() throws Exception {
        Path dir = Files.createTempDirectory("switchboard-archive-");
        Path archive = dir.resolve("switchboard.jsa");
        Path loaded = dir.resolve("class-load.log");
        try (var db = EmbeddedPostgres.builder().start()) {
            var env = Map.of(
                    "ADMIN_TOKEN", "it-admin-token-not-a-secret-0123456789",
                    "SECRETS_ENCRYPTION_KEY", "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=",
                    "TWILIO_WEBHOOK_PUBLIC_BASE_URL", "https://hooks.example.com",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/postgres",
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres");
            try (var training = PackagedApp.start(env, List.of("-XX:ArchiveClassesAtExit=" + archive))) {
                training.awaitReady(Duration.ofSeconds(60));
                // The JVM writes the archive as it exits; a SIGTERM exit is 143.
                assertThat(training.stop(Duration.ofSeconds(60))).as(training.output()).isIn(0, 143);
            }
            assertThat(archive).isNotEmptyFile();

            try (var app = PackagedApp.start(env, List.of("-XX:SharedArchiveFile=" + archive,
                    "-Xlog:class+load=info:file=" + loaded))) {
                app.awaitReady(Duration.ofSeconds(60));
                assertThat(app.output()).doesNotContain("Unable to use shared archive");
            }
            List<String> lines = Files.readAllLines(loaded);
            assertThat(lines.stream().filter(line -> line.endsWith(FROM_ARCHIVE)).count())
                    .as("classes taken from the archive").isGreaterThan(5_000);
            // The service's own classes, the framework's generated ones and the libraries' alike.
            assertThat(lines).anyMatch(line -> line.endsWith(" io.switchboard.webhook.SignatureCheck" + FROM_ARCHIVE))
                    .anyMatch(line -> line.endsWith(" io.quarkus.runner.ApplicationImpl" + FROM_ARCHIVE))
                    .anyMatch(line -> line.endsWith(" io.vertx.pgclient.impl.PgConnectionImpl" + FROM_ARCHIVE));
        } finally {
            Files.deleteIfExists(archive);
            Files.deleteIfExists(loaded);
            Files.deleteIfExists(dir);
        }
    }
}
