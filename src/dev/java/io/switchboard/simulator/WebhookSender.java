package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioSignature;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/** Sends Twilio's requests to the service, signed as Twilio signs them, and records each. */
@IfBuildProfile(anyOf = { "dev", "test" })
@ApplicationScoped
class WebhookSender {

    static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    /** One request to send: its kind (see {@link Recorded.Callback}), the call or message it is about, and where. */
    record Delivery(String kind, String sid, String method, String url, Map<String, List<String>> params,
            String authToken) {
    }

    /** The service's answer; status 0 when none came (refused, timed out). */
    record Reply(int status, String contentType, String body) {

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final WebClient client;
    private final SimulatorLog log;
    private final long timeoutMillis;

    WebhookSender(Vertx vertx, SimulatorLog log, SimulatorConfig config) {
        this.client = WebClient.create(vertx);
        this.log = log;
        this.timeoutMillis = config.webhookTimeout().toMillis();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Sends once, or twice with the same idempotency token, as a retrying Twilio would. */
    Uni<Reply> send(Delivery delivery, boolean twice) {
        String token = UUID.randomUUID().toString();
        Uni<Reply> first = sendOnce(delivery, token);
        return twice ? first.chain(reply -> sendOnce(delivery, token).replaceWith(reply)) : first;
    }

    private Uni<Reply> sendOnce(Delivery delivery, String token) {
        if (delivery.url() == null || delivery.url().isBlank()) {
            return Uni.createFrom().item(new Reply(0, null, null));
        }
        boolean get = "GET".equalsIgnoreCase(delivery.method());
        // A GET carries the parameters in its query string, and the signature covers that URL alone.
        String url = get ? withQuery(delivery.url(), delivery.params()) : delivery.url();
        String signature = TwilioSignature.sign(url, get ? Map.of() : delivery.params(), delivery.authToken());
        var request = (get ? client.getAbs(url) : client.postAbs(url))
                .putHeader(TwilioSignature.HEADER, signature)
                .putHeader(IDEMPOTENCY_HEADER, token)
                .putHeader("User-Agent", "TwilioProxy/1.1")
                .putHeader("Accept", "*/*")
                .timeout(timeoutMillis);
        var sent = get ? request.send() : request.sendForm(toMultiMap(delivery.params()));
        return sent
                .map(response -> new Reply(response.statusCode(), response.getHeader("Content-Type"),
                        response.bodyAsString()))
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("simulator %s delivery for %s failed: %s", delivery.kind(), delivery.sid(), failure);
                    return new Reply(0, null, null);
                })
                .invoke(reply -> log.callbacks.add(new Recorded.Callback(Instant.now(), delivery.kind(),
                        delivery.sid(), get ? "GET" : "POST", url, delivery.params(), signature, token,
                        reply.status())));
    }

    private static MultiMap toMultiMap(Map<String, List<String>> params) {
        var form = MultiMap.caseInsensitiveMultiMap();
        params.forEach((key, values) -> values.forEach(value -> form.add(key, value)));
        return form;
    }

    private static String withQuery(String url, Map<String, List<String>> params) {
        String query = params.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        if (query.isEmpty()) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + query;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
