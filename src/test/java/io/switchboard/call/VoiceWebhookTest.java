package io.switchboard.call;

import static io.restassured.RestAssured.given;
import static io.switchboard.support.SignedWebhook.flatten;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.InboundDelivery;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
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
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class VoiceWebhookTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    CallTwiml twiml;

    @Inject
    WebhookUrls urls;

    @Test
    void streamAgentGetsTheCallWithItsParameters() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"),
                "parameters", Map.of("tenant", "a&b \"quoted\"", "lang", "en")));
        c.importNumber(0, agentId);
        awaitRouted(c.number(0), agentId);

        InboundDelivery answer = deliver(c.number(0));

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Connect>"
                + "<Stream url=\"wss://agents.example.com/media\">"
                + "<Parameter name=\"callSid\" value=\"" + answer.sid() + "\"/>"
                + "<Parameter name=\"from\" value=\"" + CALLER + "\"/>"
                + "<Parameter name=\"to\" value=\"" + c.number(0) + "\"/>"
                + "<Parameter name=\"agentId\" value=\"" + agentId + "\"/>"
                + "<Parameter name=\"lang\" value=\"en\"/>"
                + "<Parameter name=\"tenant\" value=\"a&amp;b &quot;quoted&quot;\"/>"
                + "</Stream></Connect></Response>");
    }

    @Test
    void eachRoutingTypeAnswersExactlyWhatTheBuildersProduce() {
        var c = Connected.create(simulator, 3);
        var agents = List.of(
                Map.<String, Object>of("name", "Sip", "recording", "on",
                        "routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com;transport=tls")),
                Map.<String, Object>of("name", "Human", "routing", Map.of("type", "number", "number", "+14155550999")),
                Map.<String, Object>of("name", "Recorded stream", "recording", "on",
                        "routing", Map.of("type", "stream", "url", "wss://agents.example.com/rec")));
        for (int i = 0; i < agents.size(); i++) {
            String agentId = c.createAgent(agents.get(i));
            c.importNumber(i, agentId);
            awaitRouted(c.number(i), agentId);
            InboundDelivery answer = deliver(c.number(i));
            Route.Agent agent = routing.find(c.number(i)).orElseThrow().agent();
            assertThat(answer.body()).isEqualTo(twiml.build(agent, answer.sid(), CALLER, c.number(i)));
        }
        assertThat(deliver(c.number(0)).body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial record=\"record-from-answer-dual\" recordingStatusCallback=\"" + urls.recordingStatus() + "\""
                + " recordingStatusCallbackEvent=\"in-progress completed absent\" recordingStatusCallbackMethod=\"POST\">"
                + "<Sip>sip:bot@sip.example.com;transport=tls</Sip></Dial></Response>");
        assertThat(deliver(c.number(1)).body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial><Number>+14155550999</Number></Dial></Response>");
        assertThat(deliver(c.number(2)).body()).contains("<Start><Recording recordingStatusCallback=\""
                + urls.recordingStatus() + "\"");
    }

    @Test
    void aNumberWithNoAgentSaysSoAndHangsUp() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the import to be routed");
        assertThat(deliver(c.number(0)).body()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Say>" + CallTwiml.NO_AGENT_MESSAGE + "</Say><Hangup/></Response>");
    }

    @Test
    void aNumberUnknownToTheServiceIsRejected() {
        var c = Connected.create(simulator, 1);
        var params = inboundParams(c.account().accountSid(), SimAccount.randomNumber());
        signedPost(urls.voiceInbound(), params, c.account().authToken())
                .then().statusCode(200).contentType("text/xml")
                .body(equalTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject/>"
                        + "</Response>"));
    }

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
        var request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/twilio/voice/inbound"))
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
        String agentId = c.createAgent(Map.of("name", "Sip", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com")));
        c.importNumber(0, agentId);
        awaitRouted(c.number(0), agentId);
        var params = inboundParams(c.account().accountSid(), c.number(0));
        params.put("NewParameterTwilioAddedLater", List.of("1"));
        params.put("StirVerstat", List.of("TN-Validation-Passed-A", "TN-Validation-Passed-B"));
        signedPost(urls.voiceInbound(), params, c.account().authToken()).then().statusCode(200)
                .body(containsString("<Sip>sip:a@b.example.com</Sip>"));

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

    @Test
    void anOutboundCallIsConnectedToItsAgentAndAnUnknownOneHungUp() {
        var c = Connected.create(simulator, 1);
        var params = inboundParams(c.account().accountSid(), CALLER);
        signedPost(urls.voiceOutbound(UUID.randomUUID().toString()), params,
                c.account().authToken())
                .then().statusCode(200)
                .body(equalTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Hangup/>"
                        + "</Response>"));
    }

    private void awaitRouted(String number, String agentId) {
        Await.until(Duration.ofSeconds(2), () -> routing.find(number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "number to be routed to its agent");
    }

    private InboundDelivery deliver(String number) {
        return simulator.deliverInboundCall(number, CALLER).await().atMost(Duration.ofSeconds(10));
    }

    static Map<String, List<String>> inboundParams(String accountSid, String to) {
        var params = new LinkedHashMap<String, List<String>>();
        params.put("AccountSid", List.of(accountSid));
        params.put("CallSid", List.of("CA" + SimAccount.hex(16)));
        params.put("From", List.of(CALLER));
        params.put("To", List.of(to));
        params.put("CallStatus", List.of("ringing"));
        params.put("Direction", List.of("inbound"));
        params.put("ApiVersion", List.of("2010-04-01"));
        return params;
    }

    /** Signed for this exact URL (which may differ from the path it is posted to). */
    static Response signedPost(String url, Map<String, List<String>> params, String token) {
        String path = url.substring(url.indexOf("/twilio"));
        return given().header(TwilioSignature.HEADER, TwilioSignature.sign(url, params, token))
                .formParams(flatten(params)).post(path);
    }
}
