import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The yardstick of the inbound-call benchmark (see hotpath.sh): the least a correct answer to Twilio's inbound-call
 * webhook can do, on the same Vert.x and Netty as the service and with as many event loops, and nothing else. It reads
 * the raw form, checks X-Twilio-Signature (HMAC-SHA1 over the URL and the sorted parameters, compared in constant
 * time), looks the called number up in a map and writes the stream TwiML. No database, no metrics, no recording.
 * <p>
 * {@code java -cp <classpath> bench/BareRoute.java <port> <baseUrl> <numbersFile>}, the file BenchSetup's seed writes:
 * the Account SID, the auth token, the fragment of the URL Twilio signs, then one imported number a line.
 */
public class BareRoute extends AbstractVerticle {

    private final int port;
    private final String url;
    private final byte[] token;
    private final Map<String, String> agents;
    private Mac mac;

    BareRoute(int port, String url, byte[] token, Map<String, String> agents) {
        this.port = port;
        this.url = url;
        this.token = token;
        this.agents = agents;
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        List<String> lines = Files.readAllLines(Path.of(args[2]));
        byte[] token = lines.get(1).getBytes(StandardCharsets.UTF_8);
        var agents = new HashMap<String, String>();
        for (String number : lines.subList(3, lines.size())) {
            agents.put(number, "wss://agents.example.com/media");
        }
        int loops = VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE;
        var vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        String url = args[1] + "/twilio/voice/inbound" + lines.get(2);
        vertx.deployVerticle(() -> new BareRoute(port, url, token, Map.copyOf(agents)),
                new DeploymentOptions().setInstances(loops))
                .toCompletionStage().toCompletableFuture().join();
        System.out.println("bare route listening on " + port + " with " + loops + " event loops");
    }

    @Override
    public void start(Promise<Void> started) throws Exception {
        mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(token, "HmacSHA1"));
        vertx.createHttpServer(new HttpServerOptions().setPort(port).setHost("127.0.0.1"))
                .requestHandler(this::handle)
                .listen().<Void>mapEmpty().onComplete(started);
    }

    private void handle(HttpServerRequest request) {
        if (!"/twilio/voice/inbound".equals(request.path())) {
            request.response().setStatusCode(404).end();
            return;
        }
        request.body().onSuccess(body -> answer(request, body));
    }

    private void answer(HttpServerRequest request, Buffer raw) {
        var params = new TreeMap<String, List<String>>();
        for (String pair : raw.toString(StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        var signed = new StringBuilder(url);
        params.forEach((name, values) -> values.forEach(v -> signed.append(name).append(v)));
        byte[] expected = Base64.getEncoder().encode(mac.doFinal(signed.toString().getBytes(StandardCharsets.UTF_8)));
        String signature = request.getHeader("X-Twilio-Signature");
        if (signature == null
                || !MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8))) {
            request.response().setStatusCode(403).end();
            return;
        }
        String to = first(params, "To");
        String agent = to == null ? null : agents.get(to);
        if (agent == null) {
            request.response().putHeader("Content-Type", "text/xml")
                    .end("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject/></Response>");
            return;
        }
        var twiml = new StringBuilder(400)
                .append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect><Stream url=\"")
                .append(agent).append("\">");
        parameter(twiml, "callSid", first(params, "CallSid"));
        parameter(twiml, "from", first(params, "From"));
        parameter(twiml, "to", to);
        twiml.append("</Stream></Connect></Response>");
        request.response().putHeader("Content-Type", "text/xml").end(twiml.toString());
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null ? null : values.get(0);
    }

    private static void parameter(StringBuilder out, String name, String value) {
        out.append("<Parameter name=\"").append(name).append("\" value=\"");
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '&' -> out.append("&amp;");
                    case '<' -> out.append("&lt;");
                    case '>' -> out.append("&gt;");
                    case '"' -> out.append("&quot;");
                    default -> out.append(c);
                }
            }
        }
        out.append("\"/>");
    }
}
