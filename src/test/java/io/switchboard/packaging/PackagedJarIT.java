package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.Await;
import io.switchboard.support.DirectSeed;
import io.switchboard.twilio.TwilioSignature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * The production artifact: it carries no embedded database and no simulator, and runs against the external
 * PostgreSQL it is given by environment variables (here one the test starts, standing in for a managed database).
 */
class PackagedJarIT {

    private static final String ADMIN = "it-admin-token-not-a-secret-0123456789";
    private static final String KEY = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    private static final String CONFIG_SOURCE_FACTORIES = "META-INF/services/io.smallrye.config.ConfigSourceFactory";

    /**
     * The dev and test tools live in src/dev, compiled only for the tests and dev mode: the jar carries neither the
     * embedded database (its binaries, its classes, the service entry that would start it) nor the simulator.
     */
    @Test
    void carriesNoDevAndTestTools() throws Exception {
        try (var jar = new JarFile(PackagedApp.JAR)) {
            var names = jar.stream().map(JarEntry::getName).toList();
            // The service's own classes are there, db's among them: the checks below look in the right place.
            assertThat(names).contains("io/switchboard/webhook/WebhookRoutes.class")
                    .anyMatch(name -> name.startsWith("io/switchboard/db/"));
            assertThat(names)
                    .noneMatch(name -> name.startsWith("io/zonky/"))
                    .noneMatch(name -> name.endsWith(".txz"))
                    .noneMatch(name -> name.startsWith("io/switchboard/db/EmbeddedPostgres"))
                    .noneMatch(name -> name.startsWith("io/switchboard/simulator/"));
            var factories = jar.getJarEntry(CONFIG_SOURCE_FACTORIES);
            if (factories != null) {
                try (var in = jar.getInputStream(factories)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(CONFIG_SOURCE_FACTORIES)
                            .doesNotContain("io.switchboard.db.EmbeddedPostgres");
                }
            }
        }
    }

    /** The service writes its TwiML itself: twilio-java is only the reference its tests compare against. */
    @Test
    void carriesNoTwilioSdk() throws Exception {
        try (var jar = new JarFile(PackagedApp.JAR)) {
            assertThat(jar.stream().map(JarEntry::getName)).contains("io/switchboard/twilio/Twiml.class")
                    .noneMatch(name -> name.startsWith("com/twilio/"));
        }
    }

    /** The routing table answers inbound calls from memory: a database outage does not stop callers reaching agents. */
    @Test
    void routesInboundCallsWhileTheDatabaseIsDown() throws Exception {
        var db = EmbeddedPostgres.builder().start();
        try {
            var env = Map.of(
                    "ADMIN_TOKEN", ADMIN,
                    "SECRETS_ENCRYPTION_KEY", KEY,
                    "TWILIO_WEBHOOK_PUBLIC_BASE_URL", "https://hooks.example.com",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/postgres",
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres");
            try (var app = PackagedApp.start(env)) {
                app.awaitReady(Duration.ofSeconds(60));
                DirectSeed.Seeded seeded;
                try (var c = db.getPostgresDatabase().getConnection()) {
                    seeded = DirectSeed.seed(c, KEY, 1);
                }
                var http = HttpClient.newHttpClient();
                Await.until(Duration.ofSeconds(10), () -> health(http, app).contains("\"numbers\": 1")
                        && health(http, app).contains("\"accounts\": 1"),
                        "the seeded number and its account's token to reach the replica's memory");

                db.close();
                db = null;

                var params = new LinkedHashMap<String, List<String>>();
                params.put("AccountSid", List.of(seeded.accountSid()));
                params.put("CallSid", List.of("CA0123456789abcdef0123456789abcdef"));
                params.put("From", List.of("+15105550123"));
                params.put("To", List.of(seeded.numbers().get(0)));
                String signature = TwilioSignature.sign("https://hooks.example.com/twilio/voice/inbound", params,
                        seeded.authToken());
                String form = "AccountSid=" + seeded.accountSid() + "&CallSid=CA0123456789abcdef0123456789abcdef"
                        + "&From=%2B15105550123&To=" + seeded.numbers().get(0).replace("+", "%2B");
                var answer = http.send(HttpRequest.newBuilder(app.uri("/twilio/voice/inbound"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(TwilioSignature.HEADER, signature)
                        .POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).contains("<Stream url=\"wss://agents.example.com/media\">")
                        .contains("<Parameter name=\"tenant\" value=\"seed\"/>");

                // Still ready, as it still answers Twilio: an outage must not take every replica out of the Service
                // at once. The database reports its absence in its own group. Alive: no restart loop.
                assertThat(http.send(HttpRequest.newBuilder(app.uri("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                assertThat(http.send(HttpRequest.newBuilder(app.uri("/q/health/group/database")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);
                assertThat(http.send(HttpRequest.newBuilder(app.uri("/q/health/live")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            }
        } finally {
            if (db != null) {
                db.close();
            }
        }
    }

    private static String health(HttpClient http, PackagedApp app) {
        try {
            return http.send(HttpRequest.newBuilder(app.uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    @Test
    void runsAgainstTheExternalDatabaseItIsGiven() throws Exception {
        try (var db = EmbeddedPostgres.builder().start()) {
            try (var c = db.getPostgresDatabase().getConnection()) {
                c.createStatement().execute("create database switchboard_it");
                c.createStatement().execute("create user switchboard_app with password 'app-password'");
                c.createStatement().execute("alter database switchboard_it owner to switchboard_app");
            }
            var env = Map.of(
                    "ADMIN_TOKEN", ADMIN,
                    "SECRETS_ENCRYPTION_KEY", "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=",
                    "TWILIO_WEBHOOK_PUBLIC_BASE_URL", "https://hooks.example.com",
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/switchboard_it",
                    "QUARKUS_DATASOURCE_USERNAME", "switchboard_app",
                    "QUARKUS_DATASOURCE_PASSWORD", "app-password");
            try (var app = PackagedApp.start(env)) {
                long readyMillis = app.awaitReady(Duration.ofSeconds(60));
                System.out.printf("packaged service ready in %d ms%n", readyMillis);

                var http = HttpClient.newHttpClient();
                var created = http.send(HttpRequest.newBuilder(app.uri("/v1/organizations"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"External DB Inc\"}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

                // The row is in the database we gave it, under the user we gave it.
                var jdbc = "jdbc:postgresql://localhost:" + db.getPort() + "/switchboard_it";
                try (var c = DriverManager.getConnection(jdbc, "switchboard_app", "app-password");
                        var rs = c.createStatement().executeQuery("select name from organization")) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getString(1)).isEqualTo("External DB Inc");
                }

                // Nothing answers on the simulator's paths (both answer in dev and test builds).
                for (String path : List.of("/sim/admin/faults",
                        "/sim/api/2010-04-01/Accounts/AC00000000000000000000000000000001.json")) {
                    var sim = http.send(HttpRequest.newBuilder(app.uri(path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(sim.statusCode()).as(path).isEqualTo(404);
                }
                assertThat(app.output()).doesNotContain("app-password").doesNotContain(ADMIN);
            }
        }
    }
}
