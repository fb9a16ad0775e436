package io.switchboard.webhook;

import static io.restassured.RestAssured.given;
import static io.switchboard.support.SignedWebhook.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.TwilioSignature;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate in front of every {@code /twilio} endpoint, met through the inbound-call webhook. */
@QuarkusTest
class WebhookGateTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    WebhookUrls urls;

    @Test
    void refusesWhatTwilioDidNotSign() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        var params = inboundParams(c.account().accountSid(), c.number(0));

        var unsigned = given().formParams(flatten(params)).post("/twilio/voice/inbound");
        assertThat(unsigned.statusCode()).isEqualTo(403);
        assertThat(unsigned.asString()).isEmpty();

        var wrongToken = signedPost(urls.voiceInbound(), params, SimAccount.hex(16));
        assertThat(wrongToken.statusCode()).isEqualTo(403);
        assertThat(wrongToken.asString()).isEmpty();

        // Signed for another URL (a proxy that rewrote the path, say).
        var signature = TwilioSignature.sign(urls.base() + "/twilio/voice/other", params,
                c.account().authToken());
        given().header(TwilioSignature.HEADER, signature).formParams(flatten(params)).post("/twilio/voice/inbound")
                .then().statusCode(403);

        // A parameter changed after signing.
        var tampered = new LinkedHashMap<>(params);
        String good = TwilioSignature.sign(urls.voiceInbound(), params, c.account().authToken());
        tampered.put("From", List.of("+15105550999"));
        given().header(TwilioSignature.HEADER, good).formParams(flatten(tampered)).post("/twilio/voice/inbound")
                .then().statusCode(403);

        // An account nobody connected.
        var stranger = inboundParams("AC" + SimAccount.hex(16), c.number(0));
        signedPost(urls.voiceInbound(), stranger, SimAccount.hex(16)).then().statusCode(403);

        // A connected account, but a number imported under another account.
        var other = Connected.create(simulator, 1);
        var foreign = inboundParams(other.account().accountSid(), c.number(0));
        signedPost(urls.voiceInbound(), foreign, other.account().authToken()).then().statusCode(403);
    }

    @Test
    void refusesOddRequestsCleanly() {
        var c = Connected.create(simulator, 1);
        given().contentType("text/plain").body("hello").post("/twilio/voice/inbound").then().statusCode(415);
        given().get("/twilio/voice/inbound").then().statusCode(405);
        var huge = inboundParams(c.account().accountSid(), c.number(0));
        huge.put("Padding", List.of("x".repeat(70_000)));
        Response tooBig = signedPost(urls.voiceInbound(), huge, c.account().authToken());
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.asString()).isEmpty();
        var params = inboundParams(c.account().accountSid(), c.number(0));
        String signature = TwilioSignature.sign(urls.voiceInbound(), params, c.account().authToken());
        given().header(TwilioSignature.HEADER, signature).contentType("application/x-www-form-urlencoded")
                .body("To=%ZZ").post("/twilio/voice/inbound").then().statusCode(403).body(equalTo(""));
    }

    /** A body sent in chunks, with no Content-Length: read whole when small, refused once it passes the limit. */
    @Test
    void readsChunkedBodiesUpToTheLimit() throws Exception {
        var c = Connected.create(simulator, 1);
        var params = inboundParams(c.account().accountSid(), c.number(0));
        String signature = TwilioSignature.sign(urls.voiceInbound(), params, c.account().authToken());
        assertThat(chunkedPost(signature, form(params)).statusCode()).isEqualTo(200);
        params.put("Padding", List.of("x".repeat(70_000)));
        signature = TwilioSignature.sign(urls.voiceInbound(), params, c.account().authToken());
        var tooBig = chunkedPost(signature, form(params));
        assertThat(tooBig.statusCode()).isEqualTo(413);
        assertThat(tooBig.body()).isEmpty();
    }

    private static HttpResponse<String> chunkedPost(String signature, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // An input-stream body has no known length: the client sends it chunked.
        var request =
                HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/twilio/voice/inbound"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(TwilioSignature.HEADER, signature)
                        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                        .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String form(Map<String, List<String>> params) {
        var body = new StringBuilder();
        params.forEach((name, values) -> values.forEach(value -> body.append(body.isEmpty() ? "" : "&")
                .append(URLEncoder.encode(name, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(value, StandardCharsets.UTF_8))));
        return body.toString();
    }

    @Test
    void acceptsUnknownAndRepeatedParametersAndThePortVariants() {
        var c = Connected.create(simulator, 1);
        String agentId =
                c.createAgent(Map.of("name", "Sip", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com")));
        c.importNumber(0, agentId);
        awaitRouted(c.number(0), agentId);
        var params = inboundParams(c.account().accountSid(), c.number(0));
        params.put("NewParameterTwilioAddedLater", List.of("1"));
        params.put("StirVerstat", List.of("TN-Validation-Passed-A", "TN-Validation-Passed-B"));
        signedPost(urls.voiceInbound(), params, c.account().authToken()).then().statusCode(200)
                .body(containsString("<Sip>sip:a@b.example.com?X-callSid="));

        // Twilio signs some requests with the port and some without it; both verify.
        String withoutPort = TwilioSignature.sign(urls.voiceInbound().replaceFirst(":\\d+/", "/"), params,
                c.account().authToken());
        given().header(TwilioSignature.HEADER, withoutPort).formParams(flatten(params)).post("/twilio/voice/inbound")
                .then().statusCode(200);
        // But not another port.
        String otherPort = TwilioSignature.sign(urls.voiceInbound().replaceFirst(":\\d+/", ":9/"), params,
                c.account().authToken());
        given().header(TwilioSignature.HEADER, otherPort).formParams(flatten(params)).post("/twilio/voice/inbound")
                .then().statusCode(403);
    }

    @Test
    void thePreviousTokenWorksDuringTheGracePeriodOfARotation() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        String oldToken = c.account().authToken();
        String newToken = SimAccount.hex(16);
        simulator.rotateAuthToken(c.account().accountSid(), newToken);
        Api.as(c.org()).body(Map.of("authToken", newToken)).patch("/v1/providers/" + c.providerId())
                .then().statusCode(200);
        var params = inboundParams(c.account().accountSid(), c.number(0));
        Await.until(Duration.ofSeconds(2), () -> signedPost(urls.voiceInbound(), params, newToken).statusCode() == 200,
                "the new token to be accepted");
        signedPost(urls.voiceInbound(), params, oldToken).then().statusCode(200);
        signedPost(urls.voiceInbound(), params, SimAccount.hex(16)).then().statusCode(403);
    }

    private void awaitRouted(String number, String agentId) {
        Await.until(Duration.ofSeconds(2), () -> routing.find(number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "number to be routed to its agent");
    }

    private static Map<String, List<String>> inboundParams(String accountSid, String to) {
        return SignedWebhook.inboundCall(accountSid, CALLER, to);
    }

    /** Signed for this exact URL (which may differ from the path it is posted to). */
    private static Response signedPost(String url, Map<String, List<String>> params, String token) {
        return SignedWebhook.postSignedFor(url, params, token);
    }
}
