package io.switchboard.twilio;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A recording stand-in for Twilio's REST API on a random localhost port. Products are mounted under {@code /api},
 * {@code /trunking} and {@code /lookups}, as the client's endpoint overrides expect. Every request is kept raw
 * (method, path, query, headers, body) for counting and for the contract tests; answers are plausible Twilio JSON
 * unless a test queues its own.
 */
final class FakeTwilio implements AutoCloseable {

    static final String ACCOUNT_SID = "AC" + "0123456789abcdef".repeat(2);
    static final String NUMBER_SID = "PN" + "1123456789abcdef".repeat(2);
    static final String TRUNK_SID = "TK" + "2123456789abcdef".repeat(2);
    static final String CREDENTIAL_LIST_SID = "CL" + "3123456789abcdef".repeat(2);
    static final String CREDENTIAL_SID = "CR" + "4123456789abcdef".repeat(2);
    static final String ORIGINATION_URL_SID = "OU" + "5123456789abcdef".repeat(2);
    static final String CALL_SID = "CA" + "6123456789abcdef".repeat(2);
    static final String MESSAGE_SID = "SM" + "7123456789abcdef".repeat(2);
    static final String NUMBER = "+14155550100";

    /** One request as it arrived. {@code productPath} is the path Twilio would see, without our mount prefix. */
    record Recorded(String method, String product, String productPath, String rawQuery, MultiMap headers,
            String body) {

        MultiMap query() {
            return parse(rawQuery);
        }

        MultiMap form() {
            return parse(body);
        }

        private static MultiMap parse(String encoded) {
            var map = MultiMap.caseInsensitiveMultiMap();
            if (encoded == null || encoded.isEmpty()) {
                return map;
            }
            for (var pair : encoded.split("&")) {
                var at = pair.indexOf('=');
                var key = at < 0 ? pair : pair.substring(0, at);
                var value = at < 0 ? "" : pair.substring(at + 1);
                map.add(URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            }
            return map;
        }
    }

    /** An answer; {@link #silence()} never answers, to provoke a timeout. */
    record Reply(int status, Map<String, String> headers, String body) {

        static Reply json(int status, String body) {
            return new Reply(status, Map.of("Content-Type", "application/json"), body);
        }

        static Reply error(int status, int code, String message) {
            return json(status, """
                    {"code": %d, "message": "%s", "more_info": "https://www.twilio.com/docs/errors/%d", "status": %d}
                    """.formatted(code, message, code, status));
        }

        static Reply silence() {
            return new Reply(0, Map.of(), null);
        }
    }

    private static final Pattern MOUNT = Pattern.compile("^/(api|trunking|lookups)(/.*)$");

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final Deque<Reply> queued = new ArrayDeque<>();
    private volatile Function<Recorded, Reply> fallback = FakeTwilio::plausible;

    private FakeTwilio() throws Exception {
        server = vertx.createHttpServer()
                .requestHandler(request -> request.body().onSuccess(body -> handle(request, body.toString())))
                .listen(0, "localhost")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    static FakeTwilio start() {
        try {
            return new FakeTwilio();
        } catch (Exception e) {
            throw new IllegalStateException("the fake Twilio did not start", e);
        }
    }

    int port() {
        return server.actualPort();
    }

    /** The override base URL of a product: {@code api}, {@code trunking} or {@code lookups}. */
    String baseUrl(String product) {
        return "http://localhost:" + port() + "/" + product;
    }

    TwilioEndpoints endpoints() {
        return new TwilioEndpoints(java.util.Optional.of(baseUrl("api")), java.util.Optional.of(baseUrl("trunking")),
                java.util.Optional.of(baseUrl("lookups")));
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    Recorded last() {
        return requests.get(requests.size() - 1);
    }

    /** Answers the next requests with these, in order, then plausibly again. */
    synchronized FakeTwilio enqueue(Reply... replies) {
        queued.addAll(List.of(replies));
        return this;
    }

    /** Answers every request (after any queued replies) with this. */
    FakeTwilio always(Function<Recorded, Reply> responder) {
        fallback = responder;
        return this;
    }

    synchronized void reset() {
        requests.clear();
        queued.clear();
        fallback = FakeTwilio::plausible;
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private void handle(HttpServerRequest request, String body) {
        var matcher = MOUNT.matcher(request.path());
        var product = matcher.matches() ? matcher.group(1) : "";
        var productPath = matcher.matches() ? matcher.group(2) : request.path();
        var recorded = new Recorded(request.method().name(), product, productPath, request.query(),
                MultiMap.caseInsensitiveMultiMap().addAll(request.headers()), body);
        requests.add(recorded);
        Reply reply;
        synchronized (this) {
            reply = queued.isEmpty() ? fallback.apply(recorded) : queued.poll();
        }
        if (reply.status() == 0) {
            return;
        }
        var response = request.response().setStatusCode(reply.status());
        reply.headers().forEach(response::putHeader);
        if (reply.body() == null) {
            response.end();
        } else {
            response.end(reply.body());
        }
    }

    /** What Twilio would answer to a successful request, with the fields the client reads. */
    static Reply plausible(Recorded r) {
        var path = r.productPath();
        var method = r.method();
        if (method.equals("DELETE")) {
            return new Reply(204, Map.of(), null);
        }
        var created = method.equals("POST") ? 201 : 200;
        if (path.matches("/2010-04-01/Accounts/AC\\w+\\.json")) {
            return Reply.json(200, """
                    {"sid": "%s", "friendly_name": "Test account", "status": "active", "type": "Full"}
                    """.formatted(ACCOUNT_SID));
        }
        if (path.endsWith("/IncomingPhoneNumbers.json")) {
            var number = r.query().get("PhoneNumber") == null ? NUMBER : r.query().get("PhoneNumber");
            return Reply.json(200, """
                    {"incoming_phone_numbers": [%s], "next_page_uri": null, "page": 0, "page_size": 50}
                    """.formatted(number(number)));
        }
        if (path.contains("/IncomingPhoneNumbers/")) {
            return Reply.json(200, number(NUMBER));
        }
        if (path.equals("/v1/Trunks") || path.matches("/v1/Trunks/TK\\w+")) {
            return Reply.json(created, """
                    {"sid": "%s", "friendly_name": "switchboard", "domain_name": "sb-test.pstn.twilio.com"}
                    """.formatted(TRUNK_SID));
        }
        if (path.endsWith("/CredentialLists") && method.equals("GET")) {
            return Reply.json(200, """
                    {"credential_lists": [%s], "meta": {"key": "credential_lists", "next_page_url": null}}
                    """.formatted(credentialList()));
        }
        if (path.endsWith("/CredentialLists") || path.endsWith("/CredentialLists.json")) {
            return Reply.json(201, credentialList());
        }
        if (path.endsWith("/OriginationUrls")) {
            return Reply.json(201, """
                    {"sid": "%s", "trunk_sid": "%s", "friendly_name": "agent", "sip_url": "sip:agent@example.com",
                     "priority": 10, "weight": 20, "enabled": true}
                    """.formatted(ORIGINATION_URL_SID, TRUNK_SID));
        }
        if (path.endsWith("/Credentials.json")) {
            return Reply.json(201, """
                    {"sid": "%s", "credential_list_sid": "%s", "username": "agent"}
                    """.formatted(CREDENTIAL_SID, CREDENTIAL_LIST_SID));
        }
        if (path.endsWith("/Calls.json") && method.equals("GET")) {
            return Reply.json(200, """
                    {"calls": [%s], "next_page_uri": null}
                    """.formatted(call()));
        }
        if (path.endsWith("/Calls.json") || path.contains("/Calls/")) {
            return Reply.json(created, call());
        }
        if (path.endsWith("/Messages.json") || path.contains("/Messages/")) {
            return Reply.json(created, """
                    {"sid": "%s", "to": "+14155550101", "from": "%s", "messaging_service_sid": null,
                     "status": "queued", "num_segments": "1", "error_code": null, "error_message": null}
                    """.formatted(MESSAGE_SID, NUMBER));
        }
        if (path.startsWith("/v2/PhoneNumbers/")) {
            return Reply.json(200, """
                    {"phone_number": "%s", "valid": true, "country_code": "US", "calling_country_code": "1",
                     "national_format": "(415) 555-0100", "validation_errors": []}
                    """.formatted(NUMBER));
        }
        return Reply.error(404, 20404, "The requested resource was not found");
    }

    static String number(String e164) {
        return """
                {"sid": "%s", "phone_number": "%s", "friendly_name": "Main line",
                 "capabilities": {"voice": true, "sms": true, "mms": false, "fax": false},
                 "voice_url": "https://old.example.com/voice", "voice_method": "POST", "voice_fallback_url": null,
                 "sms_url": "", "sms_method": "POST", "status_callback": null, "status_callback_method": "POST",
                 "trunk_sid": null, "voice_application_sid": null, "sms_application_sid": null}
                """.formatted(NUMBER_SID, e164);
    }

    private static String credentialList() {
        return """
                {"sid": "%s", "friendly_name": "switchboard"}
                """.formatted(CREDENTIAL_LIST_SID);
    }

    private static String call() {
        return """
                {"sid": "%s", "to": "+14155550101", "from": "%s", "status": "queued", "direction": "outbound-api",
                 "parent_call_sid": null, "duration": null}
                """.formatted(CALL_SID, NUMBER);
    }

    static List<String> all(MultiMap map, String name) {
        return new ArrayList<>(map.getAll(name));
    }
}
