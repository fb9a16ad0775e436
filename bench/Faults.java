import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fault run of {@code bench/faults.sh}: the packaged service (prod profile) against a PostgreSQL and a Twilio
 * simulator in processes of their own, all on 127.0.0.1. During a batch of outbound calls, with inbound calls and
 * status callbacks flowing, it kills the service ({@code SIGKILL}) and starts it again, freezes it ({@code SIGSTOP}),
 * freezes PostgreSQL, kills PostgreSQL (every server process, {@code SIGKILL}) and starts it again on the same data.
 * Then it waits for reconciliation and reports, from the simulator's record of what it sent and what was answered and
 * from the database:
 * <ul>
 * <li>callbacks answered 2xx, and how many of them are not stored (must be 0);</li>
 * <li>calls left in a live status after the reconciliation time, and calls whose status is not Twilio's (0);</li>
 * <li>calls placed twice (0).</li>
 * </ul>
 * Every wait has a bound; the whole run stops by itself ({@code FAULTS_DEADLINE}, 10 minutes by default).
 *
 * <p>
 * Usage: {@code java -cp <test class path> bench/Faults.java <service jar> <simulator jar> <work dir>}.
 */
public class Faults {

    private static final String ADMIN = "faults-admin-token-not-a-secret-0123456789";
    private static final String KEY = "REVWLU9OTFktc3dpdGNoYm9hcmQtTk9ULVNFQ1JFVCE=";
    /** The simulator's dev seed account (src/main/resources/application.properties, %dev). */
    private static final String ACCOUNT = "AC00000000000000000000000000000001";
    private static final String TOKEN = "11111111111111111111111111111111";
    private static final String NUMBER = "+14155550100";
    private static final Set<String> LIVE = Set.of("queued", "initiated", "ringing", "in-progress");

    private static final int CALLS = intEnv("FAULTS_CALLS", 300);
    private static final int CPS = intEnv("FAULTS_CPS", 5);
    private static final int INBOUND_PER_SECOND = intEnv("FAULTS_INBOUND_PER_SECOND", 4);
    private static final Duration RECONCILE_AGE = Duration.ofSeconds(intEnv("FAULTS_RECONCILE_AGE_S", 20));
    private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofSeconds(intEnv("FAULTS_DEADLINE_S", 600));

    private final Path serviceJar;
    private final Path simulatorJar;
    private final Path work;
    private final int servicePort;
    private final int simulatorPort;
    private final Instant deadline = Instant.now().plus(DEADLINE);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> timeline = new ArrayList<>();
    /** When the batch was submitted: the faults' times count from here. */
    private Instant start = Instant.now();

    private Process dbHelper;
    private Process simulatorDb;
    private int dbPort;
    private Process service;
    private Process simulator;
    private String apiKey;

    Faults(Path serviceJar, Path simulatorJar, Path work) throws IOException {
        this.serviceJar = serviceJar;
        this.simulatorJar = simulatorJar;
        this.work = work;
        this.servicePort = freePort();
        this.simulatorPort = freePort();
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("db")) {
            database(Path.of(args[1]), Integer.parseInt(args[2]), Path.of(args[3]));
            return;
        }
        var run = new Faults(Path.of(args[0]), Path.of(args[1]), Path.of(args[2]));
        // The whole run stops by itself: past the deadline, everything it started is killed.
        var watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            var t = new Thread(r, "faults-deadline");
            t.setDaemon(true);
            return t;
        });
        watchdog.schedule(() -> {
            System.err.println("faults: deadline of " + DEADLINE + " passed, stopping");
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
        startDatabase();
        startSimulator();
        startService();
        seed();

        start = Instant.now();
        var inbound = new InboundTraffic();
        inbound.start();
        String batchId = placeBatch();
        List<String> messages = sendMessages(20);
        mark("batch of " + CALLS + " calls at " + CPS + "/s and 20 messages submitted; inbound calls at "
                + INBOUND_PER_SECOND + "/s");

        at(8, () -> {
            mark("service killed (SIGKILL)");
            service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            sleep(Duration.ofSeconds(3));
            startService();
            mark("service started again and ready");
        });
        at(25, () -> {
            signal(service.pid(), "STOP");
            mark("service frozen (SIGSTOP) for 8 s");
            sleep(Duration.ofSeconds(8));
            signal(service.pid(), "CONT");
            mark("service resumed (SIGCONT)");
        });
        at(40, () -> {
            var pids = postgresPids();
            pids.forEach(pid -> signal(pid, "STOP"));
            mark("PostgreSQL frozen (SIGSTOP, " + pids.size() + " processes) for 20 s");
            sleep(Duration.ofSeconds(20));
            pids.forEach(pid -> signal(pid, "CONT"));
            mark("PostgreSQL resumed (SIGCONT)");
        });
        at(68, () -> {
            var pids = postgresPids();
            pids.forEach(pid -> signal(pid, "KILL"));
            mark("PostgreSQL killed (SIGKILL, " + pids.size() + " processes)");
            sleep(Duration.ofSeconds(4));
            startDatabase();
            mark("PostgreSQL started again on the same data (crash recovery)");
        });
        at(85, () -> {
            inbound.stop();
            mark("inbound traffic stopped: " + inbound.sent.get() + " inbound calls delivered by the simulator");
        });

        // Every call placed and ended at Twilio, then reconciliation's time.
        awaitUntil(Duration.ofSeconds(240), "every call of the batch to be placed and ended at Twilio",
                () -> unplaced(batchId) == 0 && simulatorLiveCalls() == 0);
        mark("every call of the batch placed and ended at Twilio");
        Duration settle = RECONCILE_AGE.multipliedBy(2).plus(RECONCILE_INTERVAL.multipliedBy(2));
        awaitUntil(settle, "the calls and messages to reach Twilio's status", () -> liveRows() == 0);
        sleep(Duration.ofSeconds(2));
        mark("reconciliation time passed");

        return report(batchId, messages, inbound);
    }

    // --- report -----------------------------------------------------------------------------------------------------

    private int report(String batchId, List<String> messageIds, InboundTraffic inbound) throws Exception {
        var all = new JsonArray(get("http://127.0.0.1:" + simulatorPort + "/sim/admin/callbacks"));
        var acknowledged = new HashMap<String, Set<String>>();
        var deliveries = new HashMap<String, Set<String>>();
        int tries = 0;
        for (Object o : all) {
            var c = (JsonObject) o;
            String kind = c.getString("kind");
            String token = c.getString("idempotencyToken");
            if (token == null) {
                continue;
            }
            tries++;
            deliveries.computeIfAbsent(kind, k -> new HashSet<>()).add(token);
            int status = c.getInteger("status");
            if (status >= 200 && status < 300) {
                acknowledged.computeIfAbsent(kind, k -> new HashSet<>()).add(token);
            }
        }
        Set<String> stored = new HashSet<>();
        Map<String, String> dbCallStatus = new HashMap<>();
        Map<String, Long> batchStatuses = new TreeMap<>();
        long live;
        long reconciled;
        long placedTwiceInDb;
        Map<String, String> dbMessageStatus = new HashMap<>();
        try (Connection c = jdbc()) {
            try (var rs = c.createStatement().executeQuery("select dedupe_key from communication_event")) {
                while (rs.next()) {
                    // Stored under Twilio's idempotency token, as "<AccountSid>|token:<token>" (webhook.CallbackEvent).
                    String key = rs.getString(1);
                    int token = key.indexOf("|token:");
                    stored.add(token >= 0 ? key.substring(token + "|token:".length()) : key);
                }
            }
            try (var rs = c.createStatement().executeQuery("select sid, status from call where sid is not null")) {
                while (rs.next()) {
                    dbCallStatus.put(rs.getString(1), rs.getString(2));
                }
            }
            try (var rs = c.createStatement().executeQuery("select sid, status from message where sid is not null")) {
                while (rs.next()) {
                    dbMessageStatus.put(rs.getString(1), rs.getString(2));
                }
            }
            try (var s = c.prepareStatement("select status, count(*) from call where batch_id = ?::uuid group by 1")) {
                s.setString(1, batchId);
                try (var rs = s.executeQuery()) {
                    while (rs.next()) {
                        batchStatuses.put(rs.getString(1), rs.getLong(2));
                    }
                }
            }
            live = single(c, "select count(*) from call where status in "
                    + "('queued', 'initiated', 'ringing', 'in-progress')");
            live += single(c, "select count(*) from message where status in ('queued', 'sending', 'sent')");
            reconciled = single(c, "select count(*) from communication_event where type like '%reconciled%'");
            placedTwiceInDb = single(c, "select count(*) from (select to_number from call where batch_id = '"
                    + batchId + "' group by to_number having count(sid) > 1) twice");
        }

        var simCalls = new JsonArray(get("http://127.0.0.1:" + simulatorPort + "/sim/admin/calls"));
        Map<String, Long> outboundPerTarget = new HashMap<>();
        Map<String, String> twilioStatus = new HashMap<>();
        for (Object o : simCalls) {
            var call = (JsonObject) o;
            twilioStatus.put(call.getString("sid"), call.getString("status"));
            if (call.getString("direction").startsWith("outbound")) {
                outboundPerTarget.merge(call.getString("to"), 1L, Long::sum);
            }
        }
        long placedTwice = outboundPerTarget.values().stream().filter(n -> n > 1).count();
        long outboundPlaced = outboundPerTarget.values().stream().mapToLong(Long::longValue).sum();
        long differing = twilioStatus.entrySet().stream()
                .filter(e -> dbCallStatus.containsKey(e.getKey()))
                .filter(e -> !e.getValue().equals(dbCallStatus.get(e.getKey()))).count();
        long inboundAnswered = all.stream().map(JsonObject.class::cast)
                .filter(c -> "voice".equals(c.getString("kind")) && c.getInteger("status") == 200)
                .map(c -> c.getString("sid")).distinct().count();
        long inboundRecorded = all.stream().map(JsonObject.class::cast)
                .filter(c -> "voice".equals(c.getString("kind")) && c.getInteger("status") == 200)
                .map(c -> c.getString("sid")).distinct().filter(dbCallStatus::containsKey).count();

        var out = new StringBuilder();
        out.append("# ").append(Instant.now()).append(' ').append(Runtime.getRuntime().availableProcessors())
                .append(" cores; service, PostgreSQL, simulator and this driver on the same machine\n");
        out.append("## timeline (seconds from the batch's submission)\n");
        timeline.forEach(line -> out.append(line).append('\n'));
        out.append("## callbacks (status callbacks of calls and messages, recording callbacks)\n");
        long answeredNotStored = 0;
        long acknowledgedTotal = 0;
        for (String kind : List.of("call-status", "message-status", "recording")) {
            var acked = acknowledged.getOrDefault(kind, Set.of());
            var sent = deliveries.getOrDefault(kind, Set.of());
            long missing = acked.stream().filter(t -> !stored.contains(t)).count();
            acked.stream().filter(t -> !stored.contains(t)).limit(10).forEach(t -> out.append("  not stored: ")
                    .append(kind).append(' ').append(t).append(" answered at ").append(answeredAt(all, t))
                    .append('\n'));
            long storedOfKind = sent.stream().filter(stored::contains).count();
            answeredNotStored += missing;
            acknowledgedTotal += acked.size();
            out.append(String.format("%s: delivered %d, answered 2xx %d, stored %d, answered 2xx but not stored %d, "
                    + "never answered 2xx (Twilio gave up; left to reconciliation) %d%n", kind, sent.size(),
                    acked.size(), storedOfKind, missing, sent.size() - acked.size()));
        }
        out.append("webhook_tries=").append(tries).append('\n');
        out.append("callbacks_answered_2xx=").append(acknowledgedTotal).append('\n');
        out.append("callbacks_answered_2xx_not_stored=").append(answeredNotStored).append('\n');
        out.append("## calls\n");
        out.append("batch_statuses=").append(batchStatuses).append('\n');
        out.append("outbound_calls_at_twilio=").append(outboundPlaced).append(" (batch of ").append(CALLS)
                .append(")\n");
        out.append("calls_placed_twice=").append(placedTwice).append(" (simulator), ").append(placedTwiceInDb)
                .append(" (database)\n");
        out.append("inbound_calls_answered=").append(inboundAnswered).append(", recorded=").append(inboundRecorded)
                .append('\n');
        all.stream().map(JsonObject.class::cast)
                .filter(c -> "voice".equals(c.getString("kind")) && c.getInteger("status") == 200)
                .filter(c -> !dbCallStatus.containsKey(c.getString("sid"))).limit(10)
                .forEach(c -> out.append("  inbound call not recorded: ").append(c.getString("sid"))
                        .append(" answered at ").append(seconds(c.getInstant("at"))).append('\n'));
        out.append("reconciled_status_events=").append(reconciled).append('\n');
        out.append("calls_and_messages_live_after_reconciliation=").append(live).append('\n');
        out.append("calls_whose_status_is_not_twilios=").append(differing).append('\n');
        System.out.print(out);
        Files.writeString(work.resolve("report.txt"), out);
        boolean ok = answeredNotStored == 0 && live == 0 && placedTwice == 0 && placedTwiceInDb == 0
                && differing == 0 && outboundPlaced == CALLS;
        System.out.println(ok ? "result=PASS" : "result=FAIL");
        return ok ? 0 : 1;
    }

    private String answeredAt(JsonArray all, String token) {
        return all.stream().map(JsonObject.class::cast).filter(c -> token.equals(c.getString("idempotencyToken")))
                .filter(c -> c.getInteger("status") / 100 == 2).map(c -> seconds(c.getInstant("at"))).findFirst()
                .orElse("?");
    }

    private String seconds(Instant at) {
        return String.format("%.1f s", Duration.between(start, at).toMillis() / 1000.0);
    }

    // --- the processes ----------------------------------------------------------------------------------------------

    /**
     * PostgreSQL in a process of its own (this program's {@code db} mode), so that it can be killed and started again
     * on the same data directory and port.
     */
    private void startDatabase() throws Exception {
        if (dbHelper != null) {
            dbHelper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        dbHelper = databaseProcess("pgdata", dbPort);
        dbPort = awaitPort("pgdata");
    }

    private Process databaseProcess(String name, int port) throws Exception {
        Files.deleteIfExists(work.resolve(name + ".port"));
        return new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "bench/Faults.java", "db",
                work.resolve(name).toString(), Integer.toString(port), work.resolve(name + ".port").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve(name + ".log").toFile()))
                .start();
    }

    private int awaitPort(String name) throws Exception {
        Path portFile = work.resolve(name + ".port");
        awaitUntil(Duration.ofSeconds(60), "PostgreSQL (" + name + ") to start",
                () -> Files.exists(portFile) && !Files.readString(portFile).isBlank());
        return Integer.parseInt(Files.readString(portFile).trim());
    }

    /** {@code db <dataDir> <port, 0: any> <portFile>}: PostgreSQL on that data, kept, until this process is killed. */
    static void database(Path data, int port, Path portFile) throws Exception {
        // Durable commits, as in production (the embedded server's defaults turn synchronous_commit off, which loses
        // the last commits when every server process is killed).
        var builder = EmbeddedPostgres.builder().setDataDirectory(data.toFile()).setCleanDataDirectory(false)
                .setServerConfig("max_connections", "100").setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on");
        if (port != 0) {
            builder.setPort(port);
        }
        var pg = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // ending anyway
            }
        }));
        Files.writeString(portFile, Integer.toString(pg.getPort()));
        Thread.currentThread().join();
    }

    private List<Long> postgresPids() {
        try {
            long postmaster = Long.parseLong(Files.readAllLines(work.resolve("pgdata/postmaster.pid")).get(0).trim());
            var pids = new ArrayList<Long>();
            pids.add(postmaster);
            ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
            return pids;
        } catch (IOException e) {
            throw new IllegalStateException("no running PostgreSQL: " + e.getMessage(), e);
        }
    }

    /**
     * The simulator is the dev build of the service; the service in it has a database of its own, never faulted, and
     * neither dispatches nor reconciles.
     */
    private void startSimulator() throws Exception {
        simulatorDb = databaseProcess("simulator-pgdata", 0);
        int port = awaitPort("simulator-pgdata");
        var command = List.of(java(), "-Xmx256m", "-Dquarkus.profile=dev", "-Dquarkus.http.port=" + simulatorPort,
                "-Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:" + port + "/postgres",
                "-Dquarkus.datasource.username=postgres", "-Dquarkus.datasource.password=postgres",
                "-Dquarkus.http.host=127.0.0.1", "-Dswitchboard.outbound.enabled=false",
                "-Dswitchboard.reconcile.enabled=false", "-Dswitchboard.simulator.timing.step=300ms",
                "-Dswitchboard.simulator.timing.talk-time=3s", "-Dquarkus.log.level=WARN", "-jar",
                simulatorJar.toString());
        simulator = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(work.resolve("simulator.log").toFile()).start();
        awaitUntil(Duration.ofSeconds(90), "the simulator to start",
                () -> status("http://127.0.0.1:" + simulatorPort + "/sim/admin/faults") == 200);
    }

    private void startService() throws Exception {
        var pb = new ProcessBuilder(java(), "-Xmx256m", "-jar", serviceJar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("service.log").toFile()));
        var env = pb.environment();
        env.put("ADMIN_TOKEN", ADMIN);
        env.put("SECRETS_ENCRYPTION_KEY", KEY);
        env.put("TWILIO_WEBHOOK_PUBLIC_BASE_URL", "http://127.0.0.1:" + servicePort);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(servicePort));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", "postgresql://127.0.0.1:" + dbPort + "/postgres");
        env.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        env.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");
        String sim = "http://127.0.0.1:" + simulatorPort + "/sim/";
        env.put("TWILIO_ENDPOINTS_API", sim + "api");
        env.put("TWILIO_ENDPOINTS_TRUNKING", sim + "trunking");
        env.put("TWILIO_ENDPOINTS_LOOKUPS", sim + "lookups");
        env.put("SWITCHBOARD_OUTBOUND_CALLS_PER_SECOND", Integer.toString(CPS));
        env.put("SWITCHBOARD_OUTBOUND_SEGMENTS_PER_SECOND", "5");
        // A claim of a killed replica is another's after this; above the Twilio client's request timeout (10 s).
        env.put("SWITCHBOARD_OUTBOUND_LEASE", "20s");
        env.put("SWITCHBOARD_RECONCILE_AGE", RECONCILE_AGE.toSeconds() + "s");
        env.put("SWITCHBOARD_RECONCILE_INTERVAL", RECONCILE_INTERVAL.toSeconds() + "s");
        env.put("SWITCHBOARD_RECONCILE_LEASE", "30s");
        service = pb.start();
        awaitUntil(Duration.ofSeconds(90), "the service to be ready",
                () -> status("http://127.0.0.1:" + servicePort + "/q/health/ready") == 200);
    }

    void stopAll() {
        for (Process p : new Process[] { service, simulator }) {
            if (p != null && p.isAlive()) {
                ProcessHandle.of(p.pid()).ifPresent(h -> signal(h.pid(), "CONT"));
                p.destroyForcibly();
            }
        }
        if (dbHelper != null) {
            try {
                var pids = postgresPids();
                pids.forEach(pid -> signal(pid, "CONT"));
                pids.forEach(pid -> signal(pid, "KILL"));
            } catch (RuntimeException ignored) {
                // not running
            }
            dbHelper.destroyForcibly();
        }
        if (simulatorDb != null) {
            simulatorDb.destroy();
        }
    }

    // --- seeding and traffic ----------------------------------------------------------------------------------------

    private void seed() throws Exception {
        var org = post("/v1/organizations", ADMIN, new JsonObject().put("name", "Faults"));
        apiKey = org.getString("apiKey");
        var provider = post("/v1/providers", apiKey, new JsonObject().put("type", "twilio").put("name", "Sim")
                .put("accountSid", ACCOUNT).put("authToken", TOKEN));
        var agent = post("/v1/agents", apiKey, new JsonObject().put("name", "Agent")
                .put("routing", new JsonObject().put("type", "stream").put("url", "wss://agents.example.com/media")));
        post("/v1/phone-numbers", apiKey, new JsonObject().put("number", NUMBER)
                .put("providerId", provider.getString("id")).put("agentId", agent.getString("id")));
        agentId = agent.getString("id");
        // The webhook keys and the route reach the replica's memory through its change feeds.
        awaitUntil(Duration.ofSeconds(20), "the number to reach the routing table",
                () -> ready().contains("\"numbers\": 1") && ready().contains("\"accounts\": 1"));
    }

    private String agentId;

    private String placeBatch() throws Exception {
        var targets = new JsonArray();
        for (int i = 0; i < CALLS; i++) {
            targets.add(String.format("+1510555%04d", i));
        }
        return post("/v1/calls", apiKey, new JsonObject().put("agentId", agentId).put("targetNumbers", targets))
                .getString("batchId");
    }

    private List<String> sendMessages(int count) throws Exception {
        var ids = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            ids.add(post("/v1/messages", apiKey, new JsonObject().put("to", String.format("+1650555%04d", i))
                    .put("body", "fault run " + i)).getString("id"));
        }
        return ids;
    }

    /** Inbound calls delivered by the simulator at a steady rate, whatever state the service is in. */
    private final class InboundTraffic {
        final AtomicBoolean running = new AtomicBoolean(true);
        final AtomicInteger sent = new AtomicInteger();
        final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        private final Thread thread = new Thread(this::loop, "faults-inbound");

        void start() {
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }

        private void loop() {
            long pause = 1000L / INBOUND_PER_SECOND;
            int i = 0;
            while (running.get() && Instant.now().isBefore(deadline)) {
                var body = new JsonObject().put("to", NUMBER).put("from", String.format("+1212555%04d", i++ % 10000));
                var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + simulatorPort
                        + "/sim/admin/inbound/call")).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build();
                http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            if (e != null) {
                                failures.add(e.toString());
                            }
                        });
                sent.incrementAndGet();
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private long unplaced(String batchId) throws Exception {
        try (Connection c = jdbc();
                var s = c.prepareStatement(
                        "select count(*) from call where batch_id = ?::uuid and sid is null and status = 'queued'")) {
            s.setString(1, batchId);
            try (var rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long liveRows() throws Exception {
        try (Connection c = jdbc()) {
            return single(c, "select count(*) from call where status in ('queued', 'initiated', 'ringing', "
                    + "'in-progress')") + single(c,
                            "select count(*) from message where status in ('queued', "
                                    + "'sending', 'sent')");
        }
    }

    private long simulatorLiveCalls() throws Exception {
        var calls = new JsonArray(get("http://127.0.0.1:" + simulatorPort + "/sim/admin/calls"));
        return calls.stream().map(JsonObject.class::cast).filter(c -> LIVE.contains(c.getString("status"))).count();
    }

    private Connection jdbc() throws Exception {
        var c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + dbPort + "/postgres?connectTimeout=5"
                + "&socketTimeout=30", "postgres", "postgres");
        return c;
    }

    private static long single(Connection c, String sql) throws Exception {
        try (var rs = c.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonObject post(String path, String token, JsonObject body) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + servicePort + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return new JsonObject(response.body());
    }

    private String ready() throws Exception {
        return get("http://127.0.0.1:" + servicePort + "/q/health/ready");
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

    interface Step {
        void run() throws Exception;
    }

    interface Check {
        boolean holds() throws Exception;
    }

    /** Runs the step once the run is {@code second} seconds old. */
    private void at(int second, Step step) throws Exception {
        Duration wait = Duration.between(Instant.now(), start.plusSeconds(second));
        if (!wait.isNegative()) {
            sleep(wait);
        }
        step.run();
    }

    private void awaitUntil(Duration bound, String what, Check check) throws Exception {
        Instant until = Instant.now().plus(bound);
        while (true) {
            try {
                if (check.holds()) {
                    return;
                }
            } catch (Exception e) {
                // not yet: the part asked may be restarting
            }
            if (Instant.now().isAfter(until) || Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("gave up after " + bound + " waiting for " + what);
            }
            Thread.sleep(200);
        }
    }

    private void mark(String event) {
        String line = String.format("%6.1f %s", Duration.between(start, Instant.now()).toMillis() / 1000.0, event);
        timeline.add(line);
        System.err.println(line);
    }

    private static void signal(long pid, String signal) {
        try {
            new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("kill -" + signal + " " + pid + ": " + e.getMessage(), e);
        }
    }

    private static void sleep(Duration d) throws InterruptedException {
        Thread.sleep(d.toMillis());
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
