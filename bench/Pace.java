import io.vertx.core.json.JsonArray;
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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The pace run of {@code bench/pace.sh}: a batch of calls placed by two replicas of the packaged service (prod
 * profile) sharing one PostgreSQL, against a Twilio simulator (the dev build, in a process of its own) that enforces
 * the account's calls per second as Twilio does: a create over the limit is queued, and recorded as over the limit.
 * All on 127.0.0.1. The provider carries the account's pace ({@code callsPerSecond}); the simulator enforces the same.
 * Reports:
 * <ul>
 * <li>achieved pace / allowed pace, from the simulator's arrival times (first create to last) and from the
 * dispatcher's slots ({@code attempted_at});</li>
 * <li>the most calls that reached the simulator in any one second, and calls over the limit, which Twilio would have
 * queued (must be 0), with the longest such wait;</li>
 * <li>duplicates: numbers called more than once (must be 0).</li>
 * </ul>
 * Every wait has a bound; the run stops by itself ({@code PACE_DEADLINE_S}, 5 minutes by default). PostgreSQL runs in
 * {@code bench/Faults.java}'s {@code db} mode.
 *
 * <p>
 * Usage: {@code java -cp <test class path> bench/Pace.java <service jar> <simulator jar> <work dir>}.
 */
public class Pace {

    private static final String ADMIN = "pace-admin-token-not-a-secret-0123456789ab";
    private static final String KEY = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    /** The simulator's dev seed account (src/main/resources/application.properties, %dev). */
    private static final String ACCOUNT = "AC00000000000000000000000000000001";
    private static final String TOKEN = "11111111111111111111111111111111";
    private static final String NUMBER = "+14155550100";

    private static final int CALLS = intEnv("PACE_CALLS", 2000);
    private static final int CPS = intEnv("PACE_CPS", 50);
    private static final int REPLICAS = intEnv("PACE_REPLICAS", 2);
    private static final Duration DEADLINE = Duration.ofSeconds(intEnv("PACE_DEADLINE_S", 300));

    private final Path serviceJar;
    private final Path simulatorJar;
    private final Path work;
    private final int simulatorPort;
    private final List<Integer> servicePorts = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Process> processes = new ArrayList<>();
    private int dbPort;
    private String apiKey;
    private String agentId;

    Pace(Path serviceJar, Path simulatorJar, Path work) throws IOException {
        this.serviceJar = serviceJar;
        this.simulatorJar = simulatorJar;
        this.work = work;
        this.simulatorPort = freePort();
        for (int i = 0; i < REPLICAS; i++) {
            servicePorts.add(freePort());
        }
    }

    public static void main(String[] args) throws Exception {
        var run = new Pace(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        var watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "pace-deadline");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            System.err.println("pace: deadline of " + DEADLINE + " passed, stopping");
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
        startSimulator();
        for (int i = 0; i < REPLICAS; i++) {
            startService(i);
        }
        for (int port : servicePorts) {
            awaitUntil(Duration.ofSeconds(120), "replica on " + port + " to be ready",
                    () -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
        }
        seed();
        put("/sim/admin/accounts/" + ACCOUNT + "/calls-per-second", new JsonObject().put("callsPerSecond", CPS));

        Instant submitted = Instant.now();
        String batchId = placeBatch();
        System.err.printf("batch of %d calls at %d/s submitted to %d replicas%n", CALLS, CPS, REPLICAS);
        Duration expected = Duration.ofMillis(CALLS * 1000L / CPS);
        awaitUntil(expected.multipliedBy(2).plusSeconds(30), "every call to be placed",
                () -> placed(batchId) == CALLS);
        Duration placing = Duration.between(submitted, Instant.now());
        return report(batchId, placing);
    }

    private int report(String batchId, Duration placing) throws Exception {
        var arrivals = new ArrayList<Instant>();
        var queuedMillis = new ArrayList<Long>();
        var numbers = new HashSet<String>();
        var arrivedBySid = new java.util.HashMap<String, Instant>();
        long duplicates = 0;
        for (Object o : new JsonArray(get("http://127.0.0.1:" + simulatorPort + "/sim/admin/calls"))) {
            var call = (JsonObject) o;
            if (!ACCOUNT.equals(call.getString("accountSid")) || !"outbound-api".equals(call.getString("direction"))) {
                continue;
            }
            arrivals.add(call.getInstant("createdAt"));
            arrivedBySid.put(call.getString("sid"), call.getInstant("createdAt"));
            if (call.getBoolean("overLimit")) {
                queuedMillis.add(call.getLong("queuedMillis"));
            }
            if (!numbers.add(call.getString("to"))) {
                duplicates++;
            }
        }
        arrivals.sort(null);
        var slots = slots(batchId);
        long resent = count("select count(*) from call where batch_id = ?::uuid and resends > 0", batchId);
        long retried = count("select count(*) from call where batch_id = ?::uuid and attempts > 1", batchId);
        var lateness = lateness(batchId, arrivedBySid);
        double arrivalPace = pace(arrivals);
        double slotPace = pace(slots);
        var out = new StringBuilder();
        out.append("machine=").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; ").append(REPLICAS).append(" replicas, PostgreSQL, simulator and this driver on the "
                        + "same machine\n");
        out.append("calls=").append(CALLS).append(" allowed_cps=").append(CPS).append(" replicas=").append(REPLICAS)
                .append('\n');
        out.append("calls_created_in_simulator=").append(arrivals.size()).append('\n');
        out.append(String.format("achieved_pace=%.2f/s (%.1f%% of allowed; simulator arrivals, first to last)%n",
                arrivalPace, 100 * arrivalPace / CPS));
        out.append(String.format("achieved_pace_slots=%.2f/s (%.1f%% of allowed; the dispatcher's slots)%n",
                slotPace, 100 * slotPace / CPS));
        out.append(String.format("batch_time=%.1f s (submit to last placed; %.1f s at exactly the allowed pace)%n",
                placing.toMillis() / 1000.0, (CALLS - 1) / (double) CPS));
        out.append("max_calls_in_any_second=").append(maxInWindow(arrivals)).append(" (simulator arrivals), ")
                .append(maxInWindow(slots)).append(" (dispatcher slots)\n");
        out.append("arrival_after_slot_ms=p50 ").append(percentile(lateness, 0.5)).append(", p90 ")
                .append(percentile(lateness, 0.9)).append(", p99 ").append(percentile(lateness, 0.99)).append(", max ")
                .append(percentile(lateness, 1)).append(" (simulator arrival less the call's slot)\n");
        out.append("calls_over_the_limit=").append(queuedMillis.size()).append(" (queued by the simulator; longest ")
                .append(queuedMillis.stream().mapToLong(Long::longValue).max().orElse(0)).append(" ms)\n");
        out.append("duplicates=").append(duplicates)
                .append(" (numbers the simulator was asked to call more than once)\n");
        out.append("rows_sent_again_after_an_ambiguous_create=").append(resent).append(", rows_tried_again=")
                .append(retried).append(" (after a failure Twilio never processed)\n");
        System.out.print(out);
        Files.writeString(work.resolve("report.txt"), out);
        boolean ok = arrivals.size() == CALLS && duplicates == 0 && queuedMillis.isEmpty()
                && maxInWindow(slots) <= CPS && arrivalPace >= 0.95 * CPS;
        System.out.println(ok ? "result=PASS" : "result=FAIL");
        return ok ? 0 : 1;
    }

    private long count(String sql, String batchId) throws Exception {
        try (Connection c = jdbc(); var s = c.prepareStatement(sql)) {
            s.setString(1, batchId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Per call, how long after its slot the simulator recorded its create (ms), sorted. */
    private List<Long> lateness(String batchId, java.util.Map<String, Instant> arrivedBySid) throws Exception {
        var late = new ArrayList<Long>();
        try (Connection c = jdbc();
                var s = c.prepareStatement(
                        "select sid, attempted_at from call where batch_id = ?::uuid and sid is not null")) {
            s.setString(1, batchId);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    Instant arrived = arrivedBySid.get(rs.getString(1));
                    if (arrived != null) {
                        late.add(Duration.between(rs.getTimestamp(2).toInstant(), arrived).toMillis());
                    }
                }
            }
        }
        late.sort(null);
        return late;
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, Math.floor(p * sorted.size())));
    }

    /** Calls per second from the first to the last. */
    private static double pace(List<Instant> times) {
        if (times.size() < 2) {
            return 0;
        }
        return (times.size() - 1) / (Duration.between(times.get(0), times.get(times.size() - 1)).toNanos() / 1e9);
    }

    /** The most of {@code sorted} that fall in one window [t, t + 1 s). */
    private static int maxInWindow(List<Instant> sorted) {
        int most = 0;
        int end = 0;
        for (int start = 0; start < sorted.size(); start++) {
            Instant limit = sorted.get(start).plusSeconds(1);
            while (end < sorted.size() && sorted.get(end).isBefore(limit)) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
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

    /** The dev build of the service, whose simulator is what the replicas call; it neither dispatches nor reconciles. */
    private void startSimulator() throws Exception {
        int port = database("simulator-pgdata");
        var command = List.of(java(), "-Xmx384m", "-Dquarkus.profile=dev", "-Dquarkus.http.port=" + simulatorPort,
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:" + port + "/postgres",
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Dquarkus.http.host=127.0.0.1", "-Dswitchboard.outbound.enabled=false",
                "-Dswitchboard.reconcile.enabled=false", "-Dswitchboard.simulator.timing.step=200ms",
                "-Dswitchboard.simulator.timing.talk-time=1s", "-Dquarkus.log.level=WARN", "-jar",
                simulatorJar.toString());
        processes.add(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("simulator.log").toFile()).start());
        awaitUntil(Duration.ofSeconds(120), "the simulator to start",
                () -> status("http://127.0.0.1:" + simulatorPort + "/sim/admin/faults") == 200);
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
        String sim = "http://127.0.0.1:" + simulatorPort + "/sim/";
        env.put("TWILIO_ENDPOINTS_API", sim + "api");
        env.put("TWILIO_ENDPOINTS_TRUNKING", sim + "trunking");
        env.put("TWILIO_ENDPOINTS_LOOKUPS", sim + "lookups");
        // The default pace stays Twilio's 1: the provider's callsPerSecond is what sets this account's. A replica
        // has its share of the pace times the create's latency in flight to the account: at 25 a second and up to a
        // second's latency on a loaded machine that is well over the client's default bound of 10, past which a create
        // is not sent but retried later, off its slot.
        env.put("SWITCHBOARD_TWILIO_CLIENT_MAX_REQUESTS_PER_ACCOUNT", "50");
        processes.add(pb.start());
    }

    void stopAll() {
        // The services and the simulator first, then the databases' helpers (each closes its server on exit).
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
    }

    // --- seeding and traffic ----------------------------------------------------------------------------------------

    private void seed() throws Exception {
        var org = post("/v1/organizations", ADMIN, new JsonObject().put("name", "Pace"));
        apiKey = org.getString("apiKey");
        var provider = post("/v1/providers", apiKey, new JsonObject().put("type", "twilio").put("name", "Sim")
                .put("accountSid", ACCOUNT).put("authToken", TOKEN).put("callsPerSecond", CPS));
        var agent = post("/v1/agents", apiKey, new JsonObject().put("name", "Agent")
                .put("routing", new JsonObject().put("type", "stream").put("url", "wss://agents.example.com/media")));
        post("/v1/phone-numbers", apiKey, new JsonObject().put("number", NUMBER)
                .put("providerId", provider.getString("id")).put("agentId", agent.getString("id")));
        agentId = agent.getString("id");
        // Each replica learns the account's webhook keys through its change feed before it is sent callbacks.
        for (int port : servicePorts) {
            awaitUntil(Duration.ofSeconds(30), "the account to reach replica " + port,
                    () -> get("http://127.0.0.1:" + port + "/q/health/ready").contains("\"accounts\": 1"));
        }
    }

    private String placeBatch() throws Exception {
        var targets = new JsonArray();
        for (int i = 0; i < CALLS; i++) {
            targets.add(String.format("+1510555%04d", i));
        }
        return post("/v1/calls", apiKey, new JsonObject().put("agentId", agentId).put("targetNumbers", targets))
                .getString("batchId");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private long placed(String batchId) throws Exception {
        try (Connection c = jdbc();
                var s = c.prepareStatement("select count(*) from call where batch_id = ?::uuid and sid is not null")) {
            s.setString(1, batchId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The slot each call was sent at, in order. */
    private List<Instant> slots(String batchId) throws Exception {
        var slots = new ArrayList<Instant>();
        try (Connection c = jdbc();
                var s = c.prepareStatement(
                        "select attempted_at from call where batch_id = ?::uuid and sid is not null order by attempted_at")) {
            s.setString(1, batchId);
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    slots.add(rs.getTimestamp(1).toInstant());
                }
            }
        }
        return slots;
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

    private void put(String simulatorPath, JsonObject body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulatorPort
                + simulatorPath)).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("PUT " + simulatorPath + " answered " + response.statusCode());
        }
    }

    private String get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
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
