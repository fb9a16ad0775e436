import io.switchboard.support.DirectSeed;
import io.switchboard.twilio.TwilioSignature;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.BufferedWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's helper, run as a single-file program against the built classes (see run.sh):
 * <ul>
 * <li>{@code db <portFile>}: starts a PostgreSQL from the same binaries the tests use and keeps it up until killed;</li>
 * <li>{@code seed <jdbcUrl> <key> <baseUrl> <outDir> <numbers> <inboundCalls> <callbacks>}: an organization, a provider with a
 * sealed auth token, a stream agent and imported numbers, written as the service would, and files of requests signed
 * as Twilio signs them (one per line: path, signature, form body, tab-separated);</li>
 * <li>{@code inbound <numbersFile> <baseUrl> <outFile> <calls>}: a file of that many distinct signed inbound calls, for
 * the account seed wrote to {@code numbers.txt} (its Account SID, auth token, the URL fragment signed and the numbers,
 * one a line);</li>
 * <li>{@code count <jdbcUrl> <type>}: the stored events of that type.</li>
 * </ul>
 */
public class BenchSetup {

    private static final SecureRandom RANDOM = new SecureRandom();
    /**
     * The connection overrides the service registers with its default settings: Twilio signs the URL as it was
     * registered, fragment included, though the request it sends carries none.
     */
    static final String FRAGMENT = "#ct=3000&rt=5000&tt=15000&rc=3&rp=ct,rt,5xx";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "db" -> db(Path.of(args[1]));
            case "seed" -> seed(args[1], args[2], args[3], Path.of(args[4]), Integer.parseInt(args[5]),
                    Integer.parseInt(args[6]), Integer.parseInt(args[7]));
            case "inbound" -> {
                List<String> seeded = Files.readAllLines(Path.of(args[1]));
                inbound(Path.of(args[3]), Integer.parseInt(args[4]), seeded.get(0), seeded.get(1), args[2],
                        seeded.subList(3, seeded.size()));
            }
            case "count" -> count(args[1], args[2]);
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void db(Path portFile) throws Exception {
        var pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                .setServerConfig("synchronous_commit", System.getProperty("bench.synchronous-commit", "on"))
                .start();
        Files.writeString(portFile, Integer.toString(pg.getPort()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (Exception ignored) {
                // ending anyway
            }
        }));
        Thread.currentThread().join();
    }

    static void seed(String jdbc, String key, String baseUrl, Path out, int numberCount, int inboundCalls,
            int callbacks) throws Exception {
        DirectSeed.Seeded seeded;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres")) {
            seeded = DirectSeed.seed(c, key, numberCount);
        }
        String accountSid = seeded.accountSid();
        String token = seeded.authToken();
        List<String> numbers = seeded.numbers();
        Files.createDirectories(out);
        var described = new ArrayList<String>(List.of(accountSid, token, FRAGMENT));
        described.addAll(numbers);
        Files.write(out.resolve("numbers.txt"), described);
        inbound(out.resolve("inbound-warmup.txt"), 20_000, accountSid, token, baseUrl, numbers);
        inbound(out.resolve("inbound-max.txt"), inboundCalls, accountSid, token, baseUrl, numbers);
        inbound(out.resolve("inbound-rate.txt"), inboundCalls, accountSid, token, baseUrl, numbers);
        try (var status = Files.newBufferedWriter(out.resolve("status.txt"))) {
            String[] steps = { "initiated", "ringing", "in-progress", "completed" };
            int written = 0;
            while (written < callbacks) {
                String callSid = "CA" + hex(16);
                for (int seq = 0; seq < steps.length && written < callbacks; seq++, written++) {
                    var params = new LinkedHashMap<String, List<String>>();
                    params.put("AccountSid", List.of(accountSid));
                    params.put("ApiVersion", List.of("2010-04-01"));
                    params.put("CallSid", List.of(callSid));
                    params.put("CallStatus", List.of(steps[seq]));
                    params.put("Direction", List.of("inbound"));
                    params.put("From", List.of("+15105550100"));
                    params.put("To", List.of(numbers.get(RANDOM.nextInt(numbers.size()))));
                    params.put("SequenceNumber", List.of(Integer.toString(seq)));
                    params.put("Timestamp", List.of("Sat, 21 Nov 2026 21:00:0" + seq + " +0000"));
                    if (steps[seq].equals("completed")) {
                        params.put("CallDuration", List.of("42"));
                    }
                    write(status, baseUrl, "/twilio/voice/status", params, token);
                }
            }
        }
        System.out.println("seeded " + numberCount + " numbers for " + accountSid);
    }

    /** Distinct inbound calls (a fresh CallSid each), to random imported numbers. */
    static void inbound(Path file, int calls, String accountSid, String token, String baseUrl, List<String> numbers)
            throws Exception {
        try (var inbound = Files.newBufferedWriter(file)) {
            for (int i = 0; i < calls; i++) {
                var params = new LinkedHashMap<String, List<String>>();
                params.put("AccountSid", List.of(accountSid));
                params.put("ApiVersion", List.of("2010-04-01"));
                params.put("CallSid", List.of("CA" + hex(16)));
                params.put("CallStatus", List.of("ringing"));
                params.put("Direction", List.of("inbound"));
                params.put("From", List.of("+1510" + (5550000 + RANDOM.nextInt(9999))));
                params.put("To", List.of(numbers.get(RANDOM.nextInt(numbers.size()))));
                write(inbound, baseUrl, "/twilio/voice/inbound", params, token);
            }
        }
    }

    /** {@code count <jdbcUrl> <event type>}: how many events of that type are stored. */
    static void count(String jdbc, String type) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "postgres");
                // An inbound call to an imported number keeps its voice-inbound event on its call row.
                var s = c.prepareStatement("select (select count(*) from communication_event where type = ?)"
                        + " + (select count(*) from call where inbound_form is not null and ? = 'voice-inbound')")) {
            s.setString(1, type);
            s.setString(2, type);
            try (var rs = s.executeQuery()) {
                rs.next();
                System.out.println(rs.getLong(1));
            }
        }
    }

    private static void write(BufferedWriter out, String baseUrl, String path, Map<String, List<String>> params,
            String token) throws Exception {
        String signature = TwilioSignature.sign(baseUrl + path + FRAGMENT, params, token);
        var body = new StringBuilder();
        params.forEach((k, values) -> values.forEach(v -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8))));
        out.write(path + "\t" + signature + "\t" + body + "\n");
    }

    private static String hex(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
