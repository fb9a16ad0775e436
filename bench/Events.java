import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The event delivery run of {@code bench/events.sh}: the packaged service (prod profile, {@code EVENTS_REPLICAS}
 * replicas, 2 by default, sharing one PostgreSQL) delivers the events of 1,000 calls, 10 each, to a receiver in this
 * process, all on 127.0.0.1. The calls change in the database itself (one transaction per change, from 8 connections,
 * {@code EVENTS_RATE} changes a second, 1,000 by default), so that what is measured is the outbox and its delivery:
 * the triggers that record each change's event are the same whatever path writes the row. Each call goes initiated,
 * ringing, in-progress, six recordings, completed. Reported per run: events/s delivered (first change to last
 * delivery), the delay from each change to its first 2xx delivery (p50, p99, max), events lost (never delivered: 0),
 * calls whose events arrived out of order (0), and duplicates (at least once allows them). The second run's receiver
 * answers 500 to 20% of attempts at random and is stopped for 2 s once, mid-run.
 * Every wait has a bound; the run stops by itself ({@code EVENTS_DEADLINE_S}, 10 minutes by default).
 *
 * <p>
 * Usage: {@code java -cp <test class path> bench/Events.java <service jar> <work dir>}.
 */
public class Events {

    private static final String ADMIN = "events-admin-token-not-a-secret-0123456789";
    private static final String KEY = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    private static final int CALLS = intEnv("EVENTS_CALLS", 1000);
    private static final int RATE = intEnv("EVENTS_RATE", 1000);
    private static final int REPLICAS = intEnv("EVENTS_REPLICAS", 2);
    private static final int WRITERS = 8;
    private static final Duration DEADLINE = Duration.ofSeconds(intEnv("EVENTS_DEADLINE_S", 600));
    /** Each call's changes, in order: one event each. */
    private static final List<String> STEPS = List.of("status:initiated", "status:ringing", "status:in-progress",
            "recording:1", "recording:2", "recording:3", "recording:4", "recording:5", "recording:6",
            "status:completed");

    private final Path serviceJar;
    private final Path work;
    private final List<Integer> servicePorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private final Vertx vertx = Vertx.vertx();
    private int dbPort;

    Events(Path serviceJar, Path work) throws IOException {
        this.serviceJar = serviceJar;
        this.work = work;
        for (int i = 0; i < REPLICAS; i++) {
            servicePorts.add(freePort());
        }
    }

    public static void main(String[] args) throws Exception {
        var run = new Events(Path.of(args[0]), Path.of(args[1]));
        var watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "events-deadline");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            System.err.println("events: deadline of " + DEADLINE + " passed, stopping");
            run.stopAll();
            Runtime.getRuntime().halt(2);
        }, DEADLINE.toSeconds(), TimeUnit.SECONDS);
        int status;
        try {
            status = run.run();
        } finally {
            run.stopAll();
        }
        System.exit(status);
    }

    int run() throws Exception {
        dbPort = database("pgdata");
        for (int i = 0; i < REPLICAS; i++) {
            startService(i);
        }
        for (int port : servicePorts) {
            awaitUntil(Duration.ofSeconds(120), "replica on " + port + " to be ready",
                    () -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
        }
        System.out.printf("events: %d calls x %d events, %d changes/s from %d connections, %d replica(s)%n", CALLS,
                STEPS.size(), RATE, WRITERS, REPLICAS);
        boolean ok = once("healthy receiver", 0.0, false);
        ok &= once("receiver failing 20% of attempts, restarted once", 0.2, true);
        return ok ? 0 : 1;
    }

    /** One run: its own organization, subscription, receiver and calls. Whether nothing was lost or out of order. */
    private boolean once(String name, double failShare, boolean restart) throws Exception {
        System.out.printf("%s:%n", name);
        var receiver = new Receiver(failShare);
        receiver.listen(0);
        var org = post("/v1/organizations", ADMIN, new JsonObject().put("name", "Events " + name));
        String apiKey = org.getString("apiKey");
        UUID organization = UUID.fromString(org.getString("id"));
        post("/v1/event-subscriptions", apiKey, new JsonObject().put("url", receiver.url())
                .put("events", new io.vertx.core.json.JsonArray().add("*")));
        var calls = new ArrayList<UUID>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(UUID.randomUUID());
        }
        int expected = CALLS * STEPS.size();

        Instant started = Instant.now();
        var writers = Executors.newFixedThreadPool(WRITERS);
        var failures = new ConcurrentLinkedQueue<Throwable>();
        long intervalNanos = 1_000_000_000L * WRITERS / RATE;
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.submit(() -> {
                try (Connection db = jdbc()) {
                    long next = System.nanoTime();
                    for (String step : STEPS) {
                        for (int i = writer; i < calls.size(); i += WRITERS) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                TimeUnit.NANOSECONDS.sleep(wait);
                            }
                            next += intervalNanos;
                            change(db, organization, calls.get(i), step);
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
        }
        if (restart) {
            // Mid-run, the receiver goes away for 2 s and comes back on the same port.
            Thread.sleep(Duration.ofMillis(expected * 400L / RATE).toMillis());
            receiver.stop();
            System.out.println("  receiver stopped");
            Thread.sleep(2000);
            receiver.listen(receiver.port);
            System.out.println("  receiver restarted");
        }
        writers.shutdown();
        if (!writers.awaitTermination(DEADLINE.toSeconds(), TimeUnit.SECONDS) || !failures.isEmpty()) {
            throw new IllegalStateException("the changes were not all written", failures.peek());
        }
        Instant written = Instant.now();
        Instant until = written.plus(Duration.ofSeconds(180));
        while (receiver.firstDelivery.size() < expected && Instant.now().isBefore(until)) {
            Thread.sleep(200);
        }
        receiver.stop();
        return report(name, receiver, calls, expected, started, written);
    }

    private boolean report(String name, Receiver receiver, List<UUID> calls, int expected, Instant started,
            Instant written) {
        var delays = new ArrayList<Long>();
        Instant last = started;
        var firstByCall = new HashMap<String, List<long[]>>();
        for (var d : receiver.firstDelivery.values()) {
            delays.add(d.delayMillis);
            if (d.at.isAfter(last)) {
                last = d.at;
            }
            firstByCall.computeIfAbsent(d.resourceId, k -> new ArrayList<>()).add(new long[] { d.order, d.sequence });
        }
        Collections.sort(delays);
        long outOfOrder = 0;
        for (var events : firstByCall.values()) {
            events.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 0; i < events.size(); i++) {
                if (events.get(i)[1] != i + 1) {
                    outOfOrder++;
                    break;
                }
            }
        }
        long lost = expected - receiver.firstDelivery.size();
        double seconds = Duration.between(started, last).toMillis() / 1000.0;
        System.out.printf("  changes written in %.1f s; events delivered %d of %d in %.1f s: %.0f events/s%n",
                Duration.between(started, written).toMillis() / 1000.0, receiver.firstDelivery.size(), expected,
                seconds, receiver.firstDelivery.size() / seconds);
        System.out.printf("  delay from change to delivery: p50 %d ms, p99 %d ms, max %d ms%n", pct(delays, 0.50),
                pct(delays, 0.99), delays.isEmpty() ? 0 : delays.get(delays.size() - 1));
        System.out.printf("  lost %d, calls out of order %d (of %d), duplicates %d, attempts %d (answered 500: %d,"
                + " while stopped: refused)%n", lost, outOfOrder, calls.size(), receiver.duplicates.get(),
                receiver.attempts.get(), receiver.failed.get());
        return lost == 0 && outOfOrder == 0;
    }

    private static long pct(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static void change(Connection db, UUID organization, UUID call, String step) throws Exception {
        String[] kv = step.split(":");
        if (step.equals("status:initiated")) {
            try (PreparedStatement s = db.prepareStatement("""
                    insert into call (id, organization_id, direction, from_number, to_number, status, created_at,
                                      updated_at)
                    values (?, ?, 'outbound', '+14155550100', '+14155550199', 'initiated', now(), now())""")) {
                s.setObject(1, call);
                s.setObject(2, organization);
                s.executeUpdate();
            }
        } else if (kv[0].equals("status")) {
            try (PreparedStatement s = db.prepareStatement(
                    "update call set status = ?, updated_at = now() where id = ?")) {
                s.setString(1, kv[1]);
                s.setObject(2, call);
                s.executeUpdate();
            }
        } else {
            try (PreparedStatement s = db.prepareStatement(
                    "update call set recording_url = ?, updated_at = now() where id = ?")) {
                s.setString(1, "https://api.twilio.com/recordings/RE" + kv[1] + call.toString().replace("-", ""));
                s.setObject(2, call);
                s.executeUpdate();
            }
        }
    }

    /** The local receiver: the first 2xx delivery of each event, with its delay from the change. */
    private final class Receiver {

        record Delivery(String resourceId, long sequence, long order, Instant at, long delayMillis) {
        }

        final Map<String, Delivery> firstDelivery = new ConcurrentHashMap<>();
        final AtomicLong attempts = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong order = new AtomicLong();
        final double failShare;
        HttpServer server;
        int port;

        Receiver(double failShare) {
            this.failShare = failShare;
        }

        void listen(int wanted) throws Exception {
            server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                attempts.incrementAndGet();
                if (failShare > 0 && ThreadLocalRandom.current().nextDouble() < failShare) {
                    failed.incrementAndGet();
                    request.response().setStatusCode(500).end();
                    return;
                }
                Instant now = Instant.now();
                var event = new JsonObject(body);
                String id = request.getHeader("webhook-id");
                long delay = Duration.between(Instant.parse(event.getString("timestamp")), now).toMillis();
                var previous = firstDelivery.putIfAbsent(id, new Delivery(event.getString("resourceId"),
                        event.getLong("sequence"), order.incrementAndGet(), now, delay));
                if (previous != null) {
                    duplicates.incrementAndGet();
                }
                request.response().setStatusCode(204).end();
            })).listen(wanted, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            port = server.actualPort();
        }

        void stop() throws Exception {
            server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        String url() {
            return "http://127.0.0.1:" + port + "/events";
        }
    }

    // --- the processes ----------------------------------------------------------------------------------------------

    /** PostgreSQL in a process of its own ({@code bench/Faults.java db}); returns its port. */
    private int database(String name) throws Exception {
        Path portFile = work.resolve(name + ".port");
        processes.add(new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "bench/Faults.java",
                "db", work.resolve(name).toString(), "0", portFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()))
                .start());
        awaitUntil(Duration.ofSeconds(60), "PostgreSQL (" + name + ") to start",
                () -> Files.exists(portFile) && !Files.readString(portFile).isBlank());
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    private void startService(int replica) throws Exception {
        int port = servicePorts.get(replica);
        var pb = new ProcessBuilder(java(), "-Xmx256m", "-jar", serviceJar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("service-" + replica + ".log").toFile()));
        var env = pb.environment();
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("SECRETS_ENCRYPTION_KEY", KEY);
        env.put("TWILIO_WEBHOOK_PUBLIC_BASE_URL", "http://127.0.0.1:" + port);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        // The receiver is local (http, loopback); a failed attempt is retried after 1 s rather than 5 s, so that the
        // failing run ends within a minute or two.
        env.put("SWITCHBOARD_EVENTS_ALLOW_INSECURE_URLS", "true");
        env.put("SWITCHBOARD_EVENTS_FIRST_RETRY", System.getenv().getOrDefault("EVENTS_FIRST_RETRY", "1s"));
        env.put("SWITCHBOARD_OUTBOUND_ENABLED", "false");
        processes.add(pb.start());
    }

    void stopAll() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            if (p.isAlive()) {
                p.destroy();
                try {
                    if (!p.waitFor(15, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                }
            }
        }
        vertx.close();
    }

    private Connection jdbc() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres?connectTimeout=5"
                + "&socketTimeout=30", "postgres", "postgres");
    }

    private JsonObject post(String path, String token, JsonObject body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePorts.get(0) + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return new JsonObject(response.body());
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Duration bound, String what, Check check) throws Exception {
        Instant until = Instant.now().plus(bound);
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("gave up after " + bound + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static int intEnv(String name, int fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : Integer.parseInt(value);
    }
}
