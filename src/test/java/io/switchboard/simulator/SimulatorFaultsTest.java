package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Await;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Injected faults: rate limit, server errors, latency, the ambiguous create, duplicated and reordered callbacks. */
@QuarkusTest
class SimulatorFaultsTest {

    private static final String CALLS_ROUTE = "/2010-04-01/Accounts/{AccountSid}/Calls.json";

    @Inject
    TwilioSimulator simulator;

    @Inject
    ReceivedWebhooks received;

    @TestHTTPResource("/")
    URL root;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    @BeforeEach
    void reset() {
        simulator.reset();
        received.clear();
    }

    @Test
    void callsOverTheRateAre429WithCode20429() {
        simulator.setFaults(Faults.NONE.withCallsPerSecond(1));
        createCall().then().statusCode(201);
        createCall().then().statusCode(429).body("code", equalTo(20429)).body("status", equalTo(429))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/20429"));
        assertThat(creates()).isEqualTo(2);
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(ACCOUNT)).hasSize(1);
    }

    @Test
    void injectedServerErrors() {
        simulator.setFaults(Faults.NONE.withFailNextRequests(2));
        asAccount().get(API + "/Calls.json").then().statusCode(500).body("code", equalTo(20500));
        createCall().then().statusCode(500);
        asAccount().get(API + "/Calls.json").then().statusCode(200);
        // A refused create created nothing.
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(ACCOUNT)).isEmpty();

        simulator.setFaults(Faults.NONE.withServerErrorRate(1.0));
        createCall().then().statusCode(500);
        simulator.setFaults(Faults.NONE);
        // This test's requests: a call another test left running may still reach the simulator under its own account.
        assertThat(simulator.requests()).filteredOn(r -> r.path().contains(ACCOUNT))
                .extracting(Recorded.Request::status).containsExactly(500, 500, 200, 500);
    }

    @Test
    void latencyDelaysEveryAnswer() {
        simulator.setFaults(Faults.NONE.withLatency(Duration.ofMillis(300)));
        long start = System.nanoTime();
        asAccount().get(API + "/Calls.json").then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void aCreateWhoseAnswerNeverArrivesStillCreatedTheCall() throws Exception {
        simulator.setFaults(Faults.NONE.withCreateResponseDelay(Duration.ofSeconds(3)));
        var client = HttpClient.newHttpClient();
        String form = "To=" + enc("+14155550999") + "&From=" + enc(NUMBER) + "&Url=" + enc(hooks + "/twiml/say");
        var request = HttpRequest.newBuilder(URI.create(root + "sim/api/2010-04-01/Accounts/" + ACCOUNT
                + "/Calls.json"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (ACCOUNT + ":" + TOKEN).getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofMillis(300))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();

        assertThatThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        // The call exists and goes on; a client that retried blindly would place a second one. On a busy machine the
        // client can give up before the simulator has even read the request: the call appears soon after.
        Await.until(Duration.ofSeconds(5), () -> !simulator.calls().stream()
                .filter(c -> c.accountSid().equals(ACCOUNT)).toList().isEmpty(), "the call to be created");
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(ACCOUNT)).hasSize(1);
        assertThat(creates()).isEqualTo(1);
        var call = simulator.callFinished(simulator.calls().get(0).sid()).toCompletableFuture().get(5,
                TimeUnit.SECONDS);
        assertThat(call.status()).isEqualTo("completed");
    }

    @Test
    void callbacksTwiceCarryTheSameIdempotencyToken() throws Exception {
        simulator.setFaults(Faults.NONE.withCallbacksTwice(true));
        String sid = createCallWithEvents().then().statusCode(201).extract().path("sid");
        simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        var statuses = received.named("callback/status");
        assertThat(statuses).extracting(r -> r.param("CallStatus"))
                .containsExactly("ringing", "ringing", "completed", "completed");
        assertThat(statuses.get(0).idempotencyToken()).isEqualTo(statuses.get(1).idempotencyToken())
                .isNotEqualTo(statuses.get(2).idempotencyToken());
        assertThat(statuses).allSatisfy(r -> assertThat(r.signedWith(TOKEN)).isTrue());
    }

    @Test
    void callbacksOutOfOrderArriveReversedWithTheirSequenceNumbers() throws Exception {
        simulator.setFaults(Faults.NONE.withCallbacksOutOfOrder(true));
        String sid = createCallWithEvents().then().statusCode(201).extract().path("sid");
        simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        var statuses = received.named("callback/status");
        assertThat(statuses).extracting(r -> r.param("CallStatus")).containsExactly("completed", "ringing");
        assertThat(statuses).extracting(r -> r.param("SequenceNumber")).containsExactly("1", "0");
    }

    @Test
    void faultsAreSetAndResetOverHttp() {
        given().contentType("application/json").body("{\"callsPerSecond\": 1, \"latency\": \"PT0.01S\"}")
                .put("/sim/admin/faults").then().statusCode(200)
                .body("callsPerSecond", equalTo(1)).body("serverErrorRate", equalTo(0.0f));
        assertThat(simulator.faults().callsPerSecond()).isEqualTo(1);
        assertThat(simulator.faults().latency()).isEqualTo(Duration.ofMillis(10));
        given().post("/sim/admin/reset").then().statusCode(204);
        assertThat(simulator.faults()).isEqualTo(Faults.NONE);
    }

    /** A held-back answer: the update is carried out at once, its answer comes after the delay, then as usual. */
    @Test
    void delayedAnswersComeLateForRequestsAlreadyCarriedOut() {
        String route = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json";
        var number = simulator.number(ACCOUNT, NUMBER).orElseThrow();
        String sid = number.getString("sid");
        String voiceUrl = number.getString("voice_url") == null ? "" : number.getString("voice_url");
        simulator.delayRouteAnswers("POST", route, Duration.ofSeconds(2), 1);
        asAccount().formParam("VoiceUrl", "https://held.example.com/voice")
                .post(API + "/IncomingPhoneNumbers/" + sid + ".json").then().statusCode(200);
        Instant answered = Instant.now();
        var held = lastRequest(route);
        // Carried out (and recorded) when it arrived, answered 2 s later.
        assertThat(Duration.between(held.at(), answered)).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
        assertThat(simulator.number(ACCOUNT, NUMBER).orElseThrow().getString("voice_url"))
                .isEqualTo("https://held.example.com/voice");

        asAccount().formParam("VoiceUrl", voiceUrl).post(API + "/IncomingPhoneNumbers/" + sid + ".json").then()
                .statusCode(200);
        assertThat(Duration.between(lastRequest(route).at(), Instant.now())).isLessThan(Duration.ofMillis(1_900));
    }

    private Recorded.Request lastRequest(String route) {
        var requests = simulator.requests().stream().filter(r -> r.route().equals(route)).toList();
        return requests.get(requests.size() - 1);
    }

    private io.restassured.response.Response createCall() {
        return asAccount().formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").post(API + "/Calls.json");
    }

    private io.restassured.response.Response createCallWithEvents() {
        return asAccount().formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").formParam("StatusCallback", hooks + "/callback/status")
                .formParam("StatusCallbackEvent", "ringing").formParam("StatusCallbackEvent", "completed")
                .post(API + "/Calls.json");
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /**
     * Call creates of this test's account: the service in the same application may be placing calls of other tests'
     * accounts meanwhile.
     */
    private long creates() {
        return simulator.requests().stream().filter(r -> ACCOUNT.equals(r.accountSid()))
                .filter(r -> r.method().equals("POST") && r.route().equals(CALLS_ROUTE)).count();
    }
}
