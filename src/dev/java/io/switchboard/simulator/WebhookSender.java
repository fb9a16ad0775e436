package io.switchboard.simulator;

import io.quarkus.arc.profile.IfBuildProfile;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioSignature;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.ConnectException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Sends Twilio's requests to the service, signed as Twilio signs them, and records each try. Every delivery follows the
 * connection overrides of its URL ({@link ConnectionOverrides}): connect and read timeouts per try, retries of the
 * failures its policy names, all tries within the total time. The signature covers the URL as registered, fragment
 * included; the request line carries it without the fragment, as any HTTP client sends it.
 */
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

        static final Reply NONE = new Reply(0, null, null);

        boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** One try: the reply, and what failed when it did. */
    private record Attempt(Reply reply, ConnectionOverrides.Failure failure) {
    }

    private final WebClient client;
    private final SimulatorLog log;
    private final Duration webhookTimeout;

    WebhookSender(Vertx vertx, SimulatorLog log, SimulatorConfig config) {
        this.client = WebClient.create(vertx);
        this.log = log;
        this.webhookTimeout = config.webhookTimeout();
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /** Delivers once, or twice with the same idempotency token, as a Twilio that redelivers would. */
    Uni<Reply> send(Delivery delivery, boolean twice) {
        String token = UUID.randomUUID().toString();
        Uni<Reply> first = deliver(delivery, token);
        return twice ? first.chain(reply -> deliver(delivery, token).replaceWith(reply)) : first;
    }

    /** One delivery: its first try and the retries its URL's overrides allow; every try has the same token. */
    private Uni<Reply> deliver(Delivery delivery, String token) {
        if (delivery.url() == null || delivery.url().isBlank()) {
            return Uni.createFrom().item(Reply.NONE);
        }
        ConnectionOverrides overrides;
        try {
            overrides = ConnectionOverrides.of(delivery.url(), webhookTimeout);
        } catch (IllegalArgumentException e) {
            LOG.errorf("simulator %s delivery for %s not sent: %s", delivery.kind(), delivery.sid(), e.getMessage());
            return Uni.createFrom().item(Reply.NONE);
        }
        // The total time runs from the first try, when the delivery is subscribed to.
        return Uni.createFrom().deferred(() -> attempt(delivery, token, overrides, 1,
                System.nanoTime() + overrides.totalTime().toNanos()));
    }

    private Uni<Reply> attempt(Delivery delivery, String token, ConnectionOverrides overrides, int number,
            long deadline) {
        return sendOnce(delivery, token, overrides, number, deadline).chain(attempt -> {
            boolean again = attempt.failure() != null && number <= overrides.retryCount()
                    && overrides.retries(attempt.failure()) && System.nanoTime() < deadline;
            return again ? attempt(delivery, token, overrides, number + 1, deadline)
                    : Uni.createFrom().item(attempt.reply());
        });
    }

    private Uni<Attempt> sendOnce(Delivery delivery, String token, ConnectionOverrides overrides, int number,
            long deadline) {
        // Rounded up: a timeout that fired a fraction of a millisecond before the deadline would leave room for a try
        // that starts with no time at all.
        long left = Math.max(1, (deadline - System.nanoTime() + 999_999) / 1_000_000);
        boolean get = "GET".equalsIgnoreCase(delivery.method());
        // A GET carries the parameters in its query string, and the signature covers that URL alone.
        String url = get ? withQuery(delivery.url(), delivery.params()) : delivery.url();
        String signature = TwilioSignature.sign(url, get ? Map.of() : delivery.params(), delivery.authToken());
        String wire = ConnectionOverrides.withoutFragment(url);
        var request = (get ? client.getAbs(wire) : client.postAbs(wire))
                .putHeader(TwilioSignature.HEADER, signature)
                .putHeader(IDEMPOTENCY_HEADER, token)
                .putHeader("User-Agent", "TwilioProxy/1.1")
                .putHeader("Accept", "*/*")
                .connectTimeout(Math.min(overrides.connectTimeout().toMillis(), left))
                .idleTimeout(Math.min(overrides.readTimeout().toMillis(), left));
        var sent = get ? request.send() : request.sendForm(toMultiMap(delivery.params()));
        return sent
                .ifNoItem().after(Duration.ofMillis(left)).fail()
                .map(response -> {
                    var reply = new Reply(response.statusCode(), response.getHeader("Content-Type"),
                            response.bodyAsString());
                    return new Attempt(reply, failure(reply.status()));
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("simulator %s delivery for %s, try %d, failed: %s", delivery.kind(), delivery.sid(),
                            number, failure);
                    return new Attempt(Reply.NONE, failure(failure));
                })
                .invoke(attempt -> log.callbacks.add(new Recorded.Callback(Instant.now(), delivery.kind(),
                        delivery.sid(), get ? "GET" : "POST", url, delivery.params(), signature, token,
                        attempt.reply().status(), number)));
    }

    private static ConnectionOverrides.Failure failure(int status) {
        if (status >= 500) {
            return ConnectionOverrides.Failure.SERVER_ERROR;
        }
        return status >= 400 ? ConnectionOverrides.Failure.CLIENT_ERROR : null;
    }

    /** What a failed try ran into: a timeout while getting a connection is a failed connection. */
    private static ConnectionOverrides.Failure failure(Throwable failure) {
        boolean connecting = failure instanceof TimeoutException && failure.getMessage() != null
                && failure.getMessage().contains("getting a connection");
        if (failure instanceof ConnectException || connecting) {
            return ConnectionOverrides.Failure.CONNECT;
        }
        // No answer within the read timeout (or the total time), or the connection closed before it came.
        return ConnectionOverrides.Failure.READ_TIMEOUT;
    }

    private static MultiMap toMultiMap(Map<String, List<String>> params) {
        var form = MultiMap.caseInsensitiveMultiMap();
        params.forEach((key, values) -> values.forEach(value -> form.add(key, value)));
        return form;
    }

    /** The URL with the parameters added to its query, before any fragment. */
    private static String withQuery(String url, Map<String, List<String>> params) {
        String query = params.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        if (query.isEmpty()) {
            return url;
        }
        String bare = ConnectionOverrides.withoutFragment(url);
        return bare + (bare.contains("?") ? "&" : "?") + query + ConnectionOverrides.fragment(url);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
