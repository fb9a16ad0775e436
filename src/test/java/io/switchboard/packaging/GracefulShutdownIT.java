package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.Await;
import io.switchboard.support.DirectSeed;
import io.switchboard.twilio.TwilioSignature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to the packaged service right after it answered a burst of inbound calls it could not yet record: every one
 * of them is in the database once the process has exited.
 */
class GracefulShutdownIT {

    private static final String KEY = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    private static final String BASE_URL = "https://hooks.example.com";
    private static final int CALLS = 3_000;
    private static final Pattern DRAIN_STARTED =
            Pattern.compile("shutdown: writing the (\\d+) inbound calls still queued");

    @Test
    void theCallsAnsweredBeforeASigtermAreAllRecorded() throws Exception {
        try (var db = EmbeddedPostgres.builder().start()) {
            var env = Map.of(
                    "ADMIN_TOKEN", "it-admin-token-not-a-secret-0123456789",
                    "SECRETS_ENCRYPTION_KEY", KEY,
                    "TWILIO_WEBHOOK_PUBLIC_BASE_URL", BASE_URL,
                    "QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/postgres",
                    "QUARKUS_DATASOURCE_USERNAME", "postgres",
                    "QUARKUS_DATASOURCE_PASSWORD", "postgres",
                    // The table lock below holds the dispatcher's claim too; its bounded wait need not be long here.
                    "SWITCHBOARD_SHUTDOWN_OUTBOUND_TIMEOUT", "2s");
            try (var app = PackagedApp.start(env)) {
                app.awaitReady(Duration.ofSeconds(60));
                DirectSeed.Seeded seeded;
                try (var c = db.getPostgresDatabase().getConnection()) {
                    seeded = DirectSeed.seed(c, KEY, 1);
                }
                var http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                Await.until(Duration.ofSeconds(10), () -> ready(http, app).contains("\"numbers\": 1")
                        && ready(http, app).contains("\"accounts\": 1"),
                        "the seeded number and its account's token to reach the replica's memory");

                // Another transaction holds the call table: the calls are answered, and none can be written yet.
                try (Connection lock = db.getPostgresDatabase().getConnection()) {
                    lock.setAutoCommit(false);
                    lock.createStatement().execute("lock table call in exclusive mode");
                    answerCalls(http, app, seeded);

                    app.process.destroy();
                    Await.until(Duration.ofSeconds(30), () -> DRAIN_STARTED.matcher(output(app)).find(),
                            "the shutdown to start writing out the queue");
                    var started = DRAIN_STARTED.matcher(app.output());
                    assertThat(started.find()).isTrue();
                    assertThat(Integer.parseInt(started.group(1))).as("calls held when the drain began")
                            .isEqualTo(CALLS);
                    lock.rollback();
                }
                // A SIGTERM exit is 143.
                assertThat(app.awaitExit(Duration.ofSeconds(60))).as(app.output()).isIn(0, 143);
                assertThat(app.output())
                        .contains("shutdown: " + CALLS + " inbound calls written from the write-behind queue, "
                                + "0 refused by the database")
                        .doesNotContain("not recorded");
            }
            try (var c = db.getPostgresDatabase().getConnection();
                    var rs = c.createStatement().executeQuery(
                            "select count(*) from call where sid like 'CAgraceful%' and direction = 'inbound'")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(CALLS);
            }
        }
    }

    /** Signed as Twilio signs them, a hundred at a time; every one is answered with the agent's TwiML. */
    private static void answerCalls(HttpClient http, PackagedApp app, DirectSeed.Seeded seeded) {
        String to = seeded.numbers().get(0);
        for (int start = 0; start < CALLS; start += 100) {
            var answers = new ArrayList<CompletableFuture<HttpResponse<String>>>();
            for (int i = start; i < start + 100; i++) {
                String sid = "CAgraceful%022d".formatted(i);
                var params = new LinkedHashMap<String, List<String>>();
                params.put("AccountSid", List.of(seeded.accountSid()));
                params.put("CallSid", List.of(sid));
                params.put("From", List.of("+15105550123"));
                params.put("To", List.of(to));
                var form = new StringBuilder();
                params.forEach((name, values) -> form.append(form.isEmpty() ? "" : "&").append(name).append('=')
                        .append(URLEncoder.encode(values.get(0), StandardCharsets.UTF_8)));
                answers.add(http.sendAsync(HttpRequest.newBuilder(app.uri("/twilio/voice/inbound"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(TwilioSignature.HEADER, TwilioSignature.sign(BASE_URL + "/twilio/voice/inbound",
                                params, seeded.authToken()))
                        .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }
            for (var answer : answers) {
                var response = answer.join();
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).contains("<Stream url=\"wss://agents.example.com/media\">");
            }
        }
    }

    private static String ready(HttpClient http, PackagedApp app) {
        try {
            return http.send(HttpRequest.newBuilder(app.uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String output(PackagedApp app) {
        try {
            return app.output();
        } catch (Exception e) {
            return "";
        }
    }
}
