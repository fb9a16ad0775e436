package io.switchboard.twilio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioEndpoints.Product;
import io.switchboard.twilio.TwilioException.Kind;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The wire layer of {@link TwilioClient}: URLs, form bodies, basic auth, JSON, pagination, and the classification of
 * every failure into a {@link TwilioException}. It never retries; that is the caller's decision, made on the kind.
 */
final class TwilioHttp {

    /** What a request does to Twilio's state, which decides whether an unanswered one may be sent again. */
    enum Effect {
        /** Reads, updates that set values, deletes: repeating them changes nothing. */
        IDEMPOTENT,
        /** Creates something: after a timeout or a 5xx it may exist, and sending it again could make a second. */
        CREATE
    }

    /** A guard against a server whose next-page link loops; 200 pages of 1000 is far beyond any real account. */
    private static final int MAX_PAGES = 200;
    private static final Pattern PHONE_NUMBER = Pattern.compile("\\+\\d{3,}(\\d{4})");

    /** One page of a list: its items, and the path (from the version root on) of the next page, or null. */
    record Page(List<JsonNode> items, String next) {
    }

    /** One client, so one connection pool, per region: a region whose hosts hang holds only its own connections. */
    private final Map<TwilioRegion, WebClient> clients;
    private final ObjectMapper json;
    private final TwilioEndpoints endpoints;
    private final Duration requestTimeout;
    private final TwilioGuards guards;
    private final TwilioMetrics metrics;

    TwilioHttp(Map<TwilioRegion, WebClient> clients, ObjectMapper json, TwilioEndpoints endpoints,
            Duration requestTimeout, TwilioGuards guards, TwilioMetrics metrics) {
        if (!clients.keySet().containsAll(EnumSet.allOf(TwilioRegion.class))) {
            throw new IllegalArgumentException("a client for every region is required");
        }
        this.clients = Map.copyOf(clients);
        this.json = json;
        this.endpoints = endpoints;
        this.requestTimeout = requestTimeout;
        this.guards = guards;
        this.metrics = metrics;
    }

    /** One client for every region and no guards: the wire alone, for tests of what goes on it. */
    TwilioHttp(WebClient client, ObjectMapper json, TwilioEndpoints endpoints, Duration requestTimeout) {
        this(perRegion(region -> client), json, endpoints, requestTimeout, TwilioGuards.none(), TwilioMetrics.none());
    }

    static Map<TwilioRegion, WebClient> perRegion(java.util.function.Function<TwilioRegion, WebClient> client) {
        var clients = new EnumMap<TwilioRegion, WebClient>(TwilioRegion.class);
        for (var region : TwilioRegion.values()) {
            clients.put(region, client.apply(region));
        }
        return clients;
    }

    static WebClient webClient(Vertx vertx, TwilioConfig.Client config) {
        var options = new WebClientOptions()
                .setConnectTimeout((int) config.connectTimeout().toMillis())
                .setMaxPoolSize(config.maxPoolSize())
                // Credentials go only to the hosts we chose; a redirect could carry them elsewhere.
                .setFollowRedirects(false)
                // A pooled connection the server already closed turns a POST into an ambiguous failure: keep idle
                // connections shorter than the usual 60 s load-balancer idle timeout.
                .setKeepAliveTimeout(30)
                .setUserAgent("switchboard");
        return WebClient.create(vertx, options);
    }

    void close() {
        clients.values().stream().distinct().forEach(WebClient::close);
    }

    Uni<JsonNode> get(TwilioCredentials creds, Product product, String path, Form query) {
        return exchange(Effect.IDEMPOTENT, product, HttpMethod.GET, url(creds, product, path), creds, query, null);
    }

    /**
     * One page of a list: the first ({@code next} null, {@code path} with {@code query}), or the one a previous page
     * named. Each page is its own request, with its own timeout.
     */
    Uni<Page> page(TwilioCredentials creds, Product product, String path, Form query, String next,
            String itemsField) {
        var base = endpoints.baseUrl(product, creds.region(), creds.edge());
        var pages = new Pages(creds, product, base, versionRoot(path), itemsField, Integer.MAX_VALUE);
        var url = next == null ? base + path : base + next;
        return exchange(Effect.IDEMPOTENT, product, HttpMethod.GET, url, creds, next == null ? query : Form.empty(),
                null)
                .map(body -> {
                    var items = new ArrayList<JsonNode>(body.path(itemsField).size());
                    body.path(itemsField).forEach(items::add);
                    return new Page(items, pages.nextPage(body).map(link -> link.substring(base.length()))
                            .orElse(null));
                });
    }

    /** Every item of a list, following Twilio's next-page links until the end or {@code limit} items. */
    Uni<List<JsonNode>> list(TwilioCredentials creds, Product product, String path, Form query, String itemsField,
            int limit) {
        var base = endpoints.baseUrl(product, creds.region(), creds.edge());
        var pages = new Pages(creds, product, base, versionRoot(path), itemsField, limit);
        return pages.fetch(base + path, query, 1);
    }

    Uni<JsonNode> create(TwilioCredentials creds, Product product, String path, Form body) {
        return exchange(Effect.CREATE, product, HttpMethod.POST, url(creds, product, path), creds, Form.empty(), body);
    }

    Uni<JsonNode> update(TwilioCredentials creds, Product product, String path, Form body) {
        return exchange(Effect.IDEMPOTENT, product, HttpMethod.POST, url(creds, product, path), creds, Form.empty(),
                body);
    }

    /** Completes normally when the resource is already gone: deletes are cleanup and must be repeatable. */
    Uni<Void> delete(TwilioCredentials creds, Product product, String path) {
        return exchange(Effect.IDEMPOTENT, product, HttpMethod.DELETE, url(creds, product, path), creds, Form.empty(),
                null)
                .onFailure(TwilioHttp::isNotFound).recoverWithNull()
                .replaceWithVoid();
    }

    /** One path segment, percent-encoded so that an id can never change the path; {@code +} stays readable. */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20").replace("%2B", "+");
    }

    private String url(TwilioCredentials creds, Product product, String path) {
        return endpoints.baseUrl(product, creds.region(), creds.edge()) + path;
    }

    private Uni<JsonNode> exchange(Effect effect, Product product, HttpMethod method, String url,
            TwilioCredentials creds, Form query, Form body) {
        var what = method.name() + " " + pathOf(url);
        return Uni.createFrom().deferred(() -> {
            long started = System.nanoTime();
            return guards.call(creds, what, () -> send(effect, method, url, creds, query, body, what))
                    .onItemOrFailure().invoke((answer, failure) -> metrics.record(product, creds.region(),
                            method.name(), failure == null ? "2xx" : TwilioMetrics.outcome(failure),
                            System.nanoTime() - started));
        });
    }

    private Uni<JsonNode> send(Effect effect, HttpMethod method, String url, TwilioCredentials creds, Form query,
            Form body, String what) {
        var request = clients.get(creds.region()).requestAbs(method, url)
                .basicAuthentication(creds.username(), creds.password())
                .putHeader("Accept", "application/json")
                // Vert.x aborts the request (and frees the connection) when no data arrives for this long ...
                .timeout(requestTimeout.toMillis());
        query.entries().forEach(e -> request.addQueryParam(e.getKey(), e.getValue()));
        var sent = body == null ? request.send() : request.sendForm(body.toMultiMap(), "UTF-8");
        return sent
                // ... and this bounds the whole exchange, however slowly an answer trickles in.
                .ifNoItem().after(requestTimeout).failWith(() -> new TimeoutException("no answer"))
                .onFailure().transform(failure -> failure(effect, what, failure, creds))
                .map(response -> read(effect, what, response, creds));
    }

    private JsonNode read(Effect effect, String what, HttpResponse<Buffer> response, TwilioCredentials creds) {
        var status = response.statusCode();
        var bytes = response.body() == null ? new byte[0] : response.body().getBytes();
        if (status < 200 || status >= 300) {
            throw error(effect, what, status, response.getHeader("Retry-After"), bytes, creds);
        }
        if (bytes.length == 0) {
            return MissingNode.getInstance();
        }
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            // The request went through but we cannot read what it did: for a create that is ambiguous.
            var kind = effect == Effect.CREATE ? Kind.AMBIGUOUS : Kind.RETRYABLE;
            throw new TwilioException(kind, status, null, what + ": Twilio's answer is not JSON", null);
        }
    }

    /** The exception for an answer that is not a 2xx. */
    TwilioException error(Effect effect, String what, int status, String retryAfterHeader, byte[] body,
            TwilioCredentials creds) {
        Integer code = null;
        String message = null;
        try {
            var error = json.readTree(body);
            if (error != null && error.path("code").canConvertToInt()) {
                code = error.path("code").intValue();
            }
            if (error != null && error.path("message").isTextual()) {
                message = error.path("message").textValue();
            }
        } catch (IOException e) {
            // Not Twilio's JSON error (a proxy's HTML page, say): the status alone classifies it.
        }
        var text = redact(what + ": Twilio answered " + status + (code == null ? "" : " (code " + code + ")")
                + (message == null ? "" : ": " + message), creds);
        var retryAfter = parseRetryAfter(retryAfterHeader).orElse(null);
        if (status == 429 || Integer.valueOf(20429).equals(code)) {
            // Never processed: Twilio refused it before doing anything. Per account, so not a sign of an outage.
            return new TwilioException(Kind.RETRYABLE, status, code, text, null, retryAfter);
        }
        if (status >= 400 && status < 500) {
            return TwilioException.refused(status, code, text,
                    message == null || message.isBlank() ? null : redact(message, creds));
        }
        return new TwilioUnavailableException(effect == Effect.CREATE ? Kind.AMBIGUOUS : Kind.RETRYABLE, status, code,
                text, null, retryAfter);
    }

    /** The exception for an exchange that produced no answer at all. */
    static TwilioException failure(Effect effect, String what, Throwable failure, TwilioCredentials creds) {
        if (failure instanceof TwilioException known) {
            return known;
        }
        var detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        if (neverSent(failure)) {
            return new TwilioUnavailableException(Kind.RETRYABLE, 0, null,
                    redact(what + ": Twilio could not be reached: " + detail, creds), failure, null);
        }
        // The request may have reached Twilio: a create is ambiguous; anything else can simply be sent again.
        var kind = effect == Effect.CREATE ? Kind.AMBIGUOUS : Kind.RETRYABLE;
        var text = failure instanceof TimeoutException || failure instanceof io.smallrye.mutiny.TimeoutException
                ? what + ": no answer from Twilio in time"
                : what + ": the exchange with Twilio failed: " + detail;
        return new TwilioUnavailableException(kind, 0, null, redact(text, creds), failure, null);
    }

    /** True when the failure happened before a byte of the request could reach Twilio. */
    private static boolean neverSent(Throwable failure) {
        // Netty's connect timeout is a ConnectException too.
        return failure instanceof ConnectException || failure instanceof UnknownHostException
                || failure instanceof NoRouteToHostException;
    }

    private static boolean isNotFound(Throwable failure) {
        return failure instanceof TwilioException e && e.isNotFound();
    }

    /** {@code Retry-After} is either delay-seconds or an HTTP date. */
    static Optional<Duration> parseRetryAfter(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        var value = header.strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                var at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                var wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }

    /**
     * Keeps exception messages fit for logs: no secret even if a server echoes one, and phone numbers masked but for
     * their last four digits.
     * Only secrets long enough not to match ordinary words are replaced (Twilio's are 32 characters).
     */
    static String redact(String text, TwilioCredentials creds) {
        var result = text;
        var password = creds.password();
        if (password != null && password.length() >= 8) {
            result = result.replace(password, "***");
            var basic = Base64.getEncoder().encodeToString(
                    (creds.username() + ":" + password).getBytes(StandardCharsets.UTF_8));
            result = result.replace(basic, "***");
        }
        return PHONE_NUMBER.matcher(result).replaceAll("…$1");
    }

    private static String pathOf(String url) {
        try {
            return new URI(url).getRawPath();
        } catch (URISyntaxException e) {
            return "?";
        }
    }

    /** {@code /2010-04-01/}, {@code /v1/}: the part of a path where Twilio's own paths begin. */
    private static String versionRoot(String path) {
        return path.substring(0, path.indexOf('/', 1) + 1);
    }

    /** The walk through one list's pages. */
    private final class Pages {
        private final TwilioCredentials creds;
        private final Product product;
        private final String base;
        private final String root;
        private final String itemsField;
        private final int limit;
        private final List<JsonNode> items = new ArrayList<>();

        Pages(TwilioCredentials creds, Product product, String base, String root, String itemsField, int limit) {
            this.creds = creds;
            this.product = product;
            this.base = base;
            this.root = root;
            this.itemsField = itemsField;
            this.limit = limit;
        }

        Uni<List<JsonNode>> fetch(String url, Form query, int page) {
            return exchange(Effect.IDEMPOTENT, product, HttpMethod.GET, url, creds, query, null).chain(body -> {
                for (var item : body.path(itemsField)) {
                    if (items.size() < limit) {
                        items.add(item);
                    }
                }
                var next = nextPage(body);
                if (next.isEmpty() || items.size() >= limit || page >= MAX_PAGES) {
                    return Uni.createFrom().item(List.copyOf(items));
                }
                return fetch(next.get(), Form.empty(), page + 1);
            });
        }

        /**
         * The 2010 API gives {@code next_page_uri} (a path), Trunking and Lookups {@code meta.next_page_url} (a
         * full URL). Either way only the path from the version root on is kept and put on our own base URL: the
         * credentials go to the host we chose, never to one named in a response, and an override's path prefix
         * is kept.
         */
        private Optional<String> nextPage(JsonNode body) {
            var link = body.path("next_page_uri").isTextual()
                    ? body.path("next_page_uri").textValue()
                    : body.path("meta").path("next_page_url").textValue();
            if (link == null || link.isBlank()) {
                return Optional.empty();
            }
            var at = link.indexOf(root);
            if (at < 0) {
                throw new TwilioException(Kind.PERMANENT, 200, null, "unexpected next-page link from Twilio", null);
            }
            return Optional.of(base + link.substring(at));
        }
    }

    /** Form fields or query parameters in order; a repeated name is sent as repeated keys, as Twilio expects. */
    static final class Form {
        private final List<Map.Entry<String, String>> entries = new ArrayList<>();

        static Form empty() {
            return new Form();
        }

        /** Adds the field unless the value is null; an empty string is sent, since it clears a field at Twilio. */
        Form add(String name, Object value) {
            if (value != null) {
                entries.add(Map.entry(name, value.toString()));
            }
            return this;
        }

        Form addEach(String name, Collection<?> values) {
            if (values != null) {
                values.forEach(value -> add(name, value));
            }
            return this;
        }

        List<Map.Entry<String, String>> entries() {
            return entries;
        }

        MultiMap toMultiMap() {
            var map = MultiMap.caseInsensitiveMultiMap();
            entries.forEach(e -> map.add(e.getKey(), e.getValue()));
            return map;
        }
    }
}
