package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.switchboard.crypto.SecretCipher;
import io.switchboard.support.Await;
import io.switchboard.support.DirectSeed;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.TwilioSignature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * An encryption-key rotation rolled across two packaged replicas on one PostgreSQL, with signed webhooks and outbound
 * calls sent to both all along: replica A with key 1 only, replica B with key 2 current and key 1 previous, then A
 * restarted with B's keys. Nothing is re-sealed while A runs with key 1 only; afterwards everything is; no webhook is
 * refused and no call failed. Twilio is a stand-in that answers every create with a new call.
 */
class KeyRotationIT {

    private static final String KEY1 = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    private static final String KEY2 = "S0VZLTItc3dpdGNoYm9hcmQtcm90YXRpb24tdGVzdCE=";
    private static final String BASE_URL = "https://hooks.example.com";
    private static final String ADMIN = "it-admin-token-not-a-secret-0123456789";
    private static final Duration READY = Duration.ofSeconds(90);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final Map<String, AtomicInteger> webhookAnswers = new ConcurrentHashMap<>();
    private final List<String> callIds = new CopyOnWriteArrayList<>();
    private final AtomicInteger creates = new AtomicInteger();

    @Test
    void aRotationRolledAcrossTwoReplicasRefusesNothingAndFailsNothing() throws Exception {
        String id1 = new SecretCipher(KEY1, List.of()).currentKeyId();
        String id2 = new SecretCipher(KEY2, List.of()).currentKeyId();
        HttpServer twilio = fakeTwilio();
        try (var db = EmbeddedPostgres.builder().start()) {
            var common = env(db, twilio);
            var keys1 = new HashMap<>(common);
            keys1.put("SECRETS_ENCRYPTION_KEY", KEY1);
            var keys2 = new HashMap<>(common);
            keys2.put("SECRETS_ENCRYPTION_KEY", KEY2);
            keys2.put("SECRETS_PREVIOUS_KEYS", KEY1);

            PackagedApp a = PackagedApp.start(keys1);
            PackagedApp b = null;
            PackagedApp restarted = null;
            var targets = new CopyOnWriteArrayList<PackagedApp>();
            var traffic = new AtomicBoolean(true);
            Thread driver = null;
            try {
                a.awaitReady(READY);
                DataSource ds = db.getPostgresDatabase();
                var seeded = seed(ds, a);
                b = PackagedApp.start(keys2);
                b.awaitReady(READY);
                for (PackagedApp app : List.of(a, b)) {
                    Await.until(Duration.ofSeconds(20), () -> ready(app).contains("\"accounts\": 1"),
                            "the seeded account's token to reach each replica");
                }
                targets.addAll(List.of(a, b));
                driver = new Thread(() -> drive(targets, seeded, traffic), "rotation-traffic");
                driver.start();

                // B waits: A cannot read key 2. Both have looked for work several times by now.
                PackagedApp waiting = b;
                Await.until(Duration.ofSeconds(20), () -> output(waiting).contains("re-sealing 1 provider(s) under key "
                        + id2 + " waits"), "B to say why it does not re-seal");
                Thread.sleep(3_000);
                assertThat(sealedUnder(ds, seeded.providerId())).as("re-sealed while A reads key 1 only")
                        .isEqualTo(id1);

                // A restarts with key 2 current and key 1 previous.
                targets.remove(a);
                assertThat(a.stop(Duration.ofSeconds(60))).isIn(0, 143);
                restarted = PackagedApp.start(keys2);
                restarted.awaitReady(READY);
                PackagedApp again = restarted;
                Await.until(Duration.ofSeconds(20), () -> ready(again).contains("\"accounts\": 1"),
                        "the restarted A to load the account's token");
                targets.add(restarted);
                Await.until(Duration.ofSeconds(30), () -> id2.equals(sealedUnder(ds, seeded.providerId())),
                        "the provider to be re-sealed under key 2 once both replicas read it");
                Thread.sleep(3_000);
                traffic.set(false);
                driver.join(10_000);
                // At one call per second per account, the last few calls are still being placed.
                Await.until(Duration.ofSeconds(30), () -> unplaced(ds) == 0, "every call to be placed");
            } finally {
                traffic.set(false);
                if (driver != null) {
                    driver.join(10_000);
                }
                String logs = output(a) + output(b) + output(restarted);
                closeAll(a, b, restarted);
                twilio.stop(0);
                // No replica ever met a value it could not read: the fallbacks were not needed.
                assertThat(logs).contains("every live replica reads key " + id2)
                        .doesNotContain("cannot be decrypted").doesNotContain("does not read");
            }

            assertThat(webhookAnswers.keySet()).as("statuses answered to signed webhooks").containsExactly("200");
            assertThat(webhookAnswers.get("200").get()).isGreaterThan(20);
            assertThat(callIds).hasSizeGreaterThan(4);
            try (Connection c = db.getPostgresDatabase().getConnection();
                    var rs = c.createStatement().executeQuery(
                            "select count(*) filter (where status = 'failed'), count(*) filter (where sid is null),"
                                    + " count(*) from call where direction = 'outbound'")) {
                rs.next();
                assertThat(rs.getLong(1)).as("calls failed").isZero();
                assertThat(rs.getLong(2)).as("calls never placed").isZero();
                assertThat(rs.getLong(3)).isEqualTo(callIds.size());
            }
            assertThat(creates.get()).isEqualTo(callIds.size());
        }
    }

    /** A webhook to each replica every 100 ms, a call created on one of them every 1.5 s, by turns. */
    private void drive(List<PackagedApp> targets, Seeded seeded, AtomicBoolean traffic) {
        int round = 0;
        while (traffic.get()) {
            var now = List.copyOf(targets);
            for (PackagedApp app : now) {
                webhookAnswers.computeIfAbsent(Integer.toString(inboundCall(app, seeded)), k -> new AtomicInteger())
                        .incrementAndGet();
            }
            if (round++ % 15 == 0 && !now.isEmpty()) {
                String id = createCall(now.get(round / 15 % now.size()), seeded);
                if (id != null) {
                    callIds.add(id);
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private int inboundCall(PackagedApp app, Seeded seeded) {
        var params = new LinkedHashMap<String, String>();
        params.put("AccountSid", seeded.accountSid());
        params.put("CallSid", "CA" + SimAccount.hex(16));
        params.put("From", "+15105550123");
        params.put("To", seeded.number());
        var signed = new LinkedHashMap<String, List<String>>();
        params.forEach((k, v) -> signed.put(k, List.of(v)));
        var form = new StringBuilder();
        params.forEach((k, v) -> form.append(form.isEmpty() ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        try {
            return http.send(HttpRequest.newBuilder(app.uri("/twilio/voice/inbound"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(TwilioSignature.HEADER, TwilioSignature.sign(BASE_URL + "/twilio/voice/inbound", signed,
                            seeded.authToken()))
                    .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private String createCall(PackagedApp app, Seeded seeded) {
        String body = "{\"agentId\":\"" + seeded.agentId() + "\",\"targetNumbers\":[\"+1510555" + (1000
                + callIds.size()) + "\"]}";
        try {
            var response = http.send(HttpRequest.newBuilder(app.uri("/v1/calls"))
                    .header("Authorization", "Bearer " + seeded.apiKey()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            var id = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(response.body());
            return id.find() ? id.group(1) : null;
        } catch (Exception e) {
            return null;
        }
    }

    record Seeded(UUID providerId, UUID agentId, String accountSid, String authToken, String number,
            String apiKey) {
    }

    /** The account seeded under key 1, moved into an organization made through the API (for its API key). */
    private Seeded seed(DataSource ds, PackagedApp app) throws Exception {
        var response = http.send(HttpRequest.newBuilder(app.uri("/v1/organizations"))
                .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Rotation\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        var org = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"").matcher(response.body());
        var key = java.util.regex.Pattern.compile("\"apiKey\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
        assertThat(org.find() && key.find()).as(response.body()).isTrue();
        UUID orgId = UUID.fromString(org.group(1));
        try (Connection c = ds.getConnection()) {
            var seeded = DirectSeed.seed(c, KEY1, 1);
            for (String table : List.of("provider", "agent", "phone_number")) {
                try (var move = c.prepareStatement("update " + table + " set organization_id = ? where "
                        + "organization_id = ?")) {
                    move.setObject(1, orgId);
                    move.setObject(2, seeded.organizationId());
                    move.executeUpdate();
                }
            }
            return new Seeded(seeded.providerId(), seeded.agentId(), seeded.accountSid(), seeded.authToken(),
                    seeded.numbers().get(0), key.group(1));
        }
    }

    private static long unplaced(DataSource ds) {
        try (Connection c = ds.getConnection();
                var rs = c.createStatement().executeQuery(
                        "select count(*) from call where direction = 'outbound' and sid is null")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    /** The key id the provider's auth token names. */
    private static String sealedUnder(DataSource ds, UUID providerId) {
        try (Connection c = ds.getConnection();
                var s = c.prepareStatement("select auth_token_enc from provider where id = ?")) {
            s.setObject(1, providerId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return SecretCipher.keyIdOf(rs.getString(1));
            }
        } catch (Exception e) {
            return "unreadable: " + e.getMessage();
        }
    }

    /** Twilio as far as placing calls goes: every create is a new queued call. */
    private HttpServer fakeTwilio() throws Exception {
        var server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] answer;
            int status;
            if (exchange.getRequestMethod().equals("POST") && exchange.getRequestURI().getPath()
                    .endsWith("/Calls.json")) {
                creates.incrementAndGet();
                status = 201;
                answer = ("{\"sid\":\"CA" + SimAccount.hex(16) + "\",\"status\":\"queued\","
                        + "\"direction\":\"outbound-api\"}").getBytes(StandardCharsets.UTF_8);
            } else {
                status = 404;
                answer = "{\"code\":20404,\"message\":\"not here\",\"status\":404}".getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static Map<String, String> env(EmbeddedPostgres db, HttpServer twilio) {
        String fake = "http://127.0.0.1:" + twilio.getAddress().getPort();
        var env = new HashMap<String, String>();
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("TWILIO_WEBHOOK_PUBLIC_BASE_URL", BASE_URL);
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://localhost:" + db.getPort() + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        env.put("TWILIO_ENDPOINTS_API", fake);
        env.put("TWILIO_ENDPOINTS_TRUNKING", fake);
        env.put("TWILIO_ENDPOINTS_LOOKUPS", fake);
        // Only what the rotation needs talks to Twilio.
        env.put("SWITCHBOARD_PROVIDERS_BACKGROUND_VERIFICATION", "false");
        env.put("SWITCHBOARD_NUMBERS_WEBHOOK_UPGRADE_ENABLED", "false");
        env.put("SWITCHBOARD_RECONCILE_ENABLED", "false");
        // A rotation of seconds rather than minutes.
        env.put("SWITCHBOARD_SECRETS_HEARTBEAT_INTERVAL", "1s");
        env.put("SWITCHBOARD_SECRETS_REPLICA_TIMEOUT", "4s");
        env.put("SWITCHBOARD_SECRETS_RESEAL_INTERVAL", "1s");
        env.put("SWITCHBOARD_OUTBOUND_RETRY_BACKOFF", "200ms");
        env.put("SWITCHBOARD_SHUTDOWN_OUTBOUND_TIMEOUT", "2s");
        return env;
    }

    private String ready(PackagedApp app) {
        try {
            return http.send(HttpRequest.newBuilder(app.uri("/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static String output(PackagedApp app) {
        try {
            return app == null ? "" : app.output();
        } catch (Exception e) {
            return "";
        }
    }

    private static void closeAll(PackagedApp... apps) throws Exception {
        for (PackagedApp app : apps) {
            if (app != null) {
                app.close();
            }
        }
    }
}
