package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls and messages behave like Twilio's: TwiML fetched from Url, status and recording callbacks in order with
 * increasing sequence numbers, message callbacks, inbound webhooks. Every request is verified where it arrives, with
 * the account's auth token.
 */
@QuarkusTest
class SimulatorCallFlowTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    ReceivedWebhooks received;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    @BeforeEach
    void reset() {
        simulator.reset();
        received.clear();
    }

    @Test
    void outboundCallFetchesTwimlThenSendsSignedStatusCallbacks() throws Exception {
        String sid = asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say?call=1")
                .formParam("StatusCallback", hooks + "/callback/status")
                .formParam("StatusCallbackEvent", "initiated").formParam("StatusCallbackEvent", "ringing")
                .formParam("StatusCallbackEvent", "answered").formParam("StatusCallbackEvent", "completed")
                .post(API + "/Calls.json").then().statusCode(201)
                .body("status", equalTo("queued")).body("direction", equalTo("outbound-api"))
                .extract().path("sid");

        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.status()).isEqualTo("completed");
        assertThat(call.durationSeconds()).isPositive();

        var twiml = received.named("twiml/say");
        assertThat(twiml).hasSize(1);
        var fetch = twiml.get(0);
        assertThat(fetch.url()).isEqualTo(hooks + "/twiml/say?call=1");
        assertThat(fetch.signedWith(TOKEN)).isTrue();
        assertThat(fetch.idempotencyToken()).isNotBlank();
        assertThat(fetch.param("CallSid")).isEqualTo(sid);
        assertThat(fetch.param("AccountSid")).isEqualTo(ACCOUNT);
        assertThat(fetch.param("Direction")).isEqualTo("outbound-api");
        assertThat(fetch.param("CallStatus")).isEqualTo("in-progress");
        assertThat(fetch.param("ApiVersion")).isEqualTo("2010-04-01");
        assertThat(simulator.twiml()).filteredOn(t -> t.sid().equals(sid)).singleElement()
                .satisfies(t -> assertThat(t.body()).isEqualTo(WebhookReceiverResource.SAY_TWIML));

        var statuses = received.named("callback/status");
        assertThat(statuses).extracting(r -> r.param("CallStatus"))
                .containsExactly("initiated", "ringing", "in-progress", "completed");
        assertThat(statuses).extracting(r -> r.param("SequenceNumber")).containsExactly("0", "1", "2", "3");
        assertThat(statuses).allSatisfy(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.signedWith(SimAccounts.OTHER_TOKEN)).isFalse();
            assertThat(r.param("CallSid")).isEqualTo(sid);
            assertThat(r.param("Timestamp")).isNotBlank();
        });
        assertThat(statuses.get(3).param("CallDuration")).isEqualTo(call.durationSeconds().toString());
        assertThat(statuses).extracting(ReceivedWebhooks.Received::idempotencyToken).doesNotHaveDuplicates();
        asAccount().get(API + "/Calls/" + sid + ".json").then().statusCode(200)
                .body("status", equalTo("completed"));
    }

    @Test
    void aStepOrTalkTimeUnderAMillisecondStillEndsTheCall() throws Exception {
        // What is left of a talk time when a busy machine gets to it can be under 1 ms, which a Vert.x timer refuses.
        simulator.setTiming(new Timing(Duration.ofNanos(400_000), Duration.ofNanos(600_000)));
        String sid = createCall("/twiml/say", List.of());
        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.status()).isEqualTo("completed");
    }

    @Test
    void onlyTheCompletedEventByDefault() throws Exception {
        String sid = createCall("/twiml/say", List.of());
        simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(received.named("callback/status")).extracting(r -> r.param("CallStatus"))
                .containsExactly("completed");
    }

    @Test
    void recordingsAskedByTheRequestAndByTheTwimlAreReported() throws Exception {
        String sid = asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/record")
                .formParam("Record", "true")
                .formParam("RecordingStatusCallback", hooks + "/callback/api-recording")
                .post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);

        var api = received.named("callback/api-recording");
        assertThat(api).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("RecordingStatus")).isEqualTo("completed");
            assertThat(r.param("RecordingSid")).matches("RE[0-9a-f]{32}");
            assertThat(r.param("RecordingUrl")).contains(r.param("RecordingSid"));
            assertThat(r.param("RecordingDuration")).isEqualTo(call.durationSeconds().toString());
        });
        // The TwiML's <Start><Recording> names its own relative callback and asks for both events.
        var twiml = received.named("callback/twiml-recording");
        assertThat(twiml).extracting(r -> r.param("RecordingStatus")).containsExactly("in-progress", "completed");
        assertThat(twiml).allSatisfy(r -> assertThat(r.signedWith(TOKEN)).isTrue());
        assertThat(twiml.get(0).url()).isEqualTo(hooks + "/callback/twiml-recording");
        assertThat(call.recordingSids()).hasSize(2);
    }

    @Test
    void aCallCanceledBeforeItIsAnsweredNeverFetchesTwiml() throws Exception {
        simulator.setTiming(new Timing(Duration.ofMillis(300), Duration.ofMillis(50)));
        String sid = createCall("/twiml/say", List.of());
        asAccount().formParam("Status", "canceled").post(API + "/Calls/" + sid + ".json").then().statusCode(200)
                .body("status", equalTo("canceled"));
        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.status()).isEqualTo("canceled");
        assertThat(received.named("twiml/say")).isEmpty();
        assertThat(received.named("callback/status")).extracting(r -> r.param("CallStatus"))
                .containsExactly("canceled");
    }

    @Test
    void anAnsweredCallIsHungUpByAnUpdate() throws Exception {
        simulator.setTiming(new Timing(Duration.ofMillis(10), Duration.ofMinutes(5)));
        String sid = createCall("/twiml/say", List.of("answered", "completed"));
        long deadline = System.currentTimeMillis() + 5000;
        while (received.named("callback/status").isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        asAccount().formParam("Status", "completed").post(API + "/Calls/" + sid + ".json").then().statusCode(200);
        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.status()).isEqualTo("completed");
        assertThat(received.named("callback/status")).extracting(r -> r.param("CallStatus"))
                .containsExactly("in-progress", "completed");
    }

    @Test
    void messagesReportSentThenDelivered() throws Exception {
        String sid = asAccount()
                .formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Body", "Your code is 1234 \u20ac")
                .formParam("StatusCallback", hooks + "/callback/message")
                .post(API + "/Messages.json").then().statusCode(201)
                .body("status", equalTo("queued")).body("num_segments", equalTo("1"))
                .extract().path("sid");
        var message = simulator.messageFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(message.status()).isEqualTo("delivered");

        var callbacks = received.named("callback/message");
        assertThat(callbacks).extracting(r -> r.param("MessageStatus")).containsExactly("sent", "delivered");
        assertThat(callbacks).extracting(r -> r.param("SmsStatus")).containsExactly("sent", "delivered");
        assertThat(callbacks).allSatisfy(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("MessageSid")).isEqualTo(sid);
            assertThat(r.param("AccountSid")).isEqualTo(ACCOUNT);
            assertThat(r.param("ErrorCode")).isNull();
        });
        asAccount().get(API + "/Messages/" + sid + ".json").then().statusCode(200)
                .body("status", equalTo("delivered"));
    }

    @Test
    void segmentsFollowTheEncoding() {
        assertThat(SmsSegments.count("a".repeat(160))).isEqualTo(1);
        assertThat(SmsSegments.count("a".repeat(161))).isEqualTo(2);
        assertThat(SmsSegments.count("{".repeat(80))).isEqualTo(1);
        assertThat(SmsSegments.count("{".repeat(81))).isEqualTo(2);
        assertThat(SmsSegments.count("\u00e9".repeat(160))).isEqualTo(1);
        assertThat(SmsSegments.count("\u0101".repeat(70))).isEqualTo(1);
        assertThat(SmsSegments.count("\u0101".repeat(71))).isEqualTo(2);
        assertThat(SmsSegments.count("\ud83d\ude00".repeat(34))).isEqualTo(1);
        assertThat(SmsSegments.count("\ud83d\ude00".repeat(36))).isEqualTo(2);
    }

    @Test
    void inboundCallDeliveryRecordsTheTwimlTheServiceAnswered() throws Exception {
        String sid = simulator.number(ACCOUNT, NUMBER).orElseThrow().getString("sid");
        asAccount().formParam("VoiceUrl", hooks + "/twiml/record")
                .formParam("StatusCallback", hooks + "/callback/inbound-status")
                .post(API + "/IncomingPhoneNumbers/" + sid + ".json").then().statusCode(200);

        var delivery = given().contentType("application/json")
                .body("{\"to\":\"" + NUMBER + "\",\"from\":\"+14155550999\"}")
                .post("/sim/admin/inbound/call").then().statusCode(200)
                .body("status", equalTo(200)).body("body", equalTo(WebhookReceiverResource.RECORDING_TWIML))
                .extract().jsonPath();
        assertThat(delivery.getString("contentType")).startsWith("text/xml");
        String callSid = delivery.getString("sid");

        var webhook = received.named("twiml/record");
        assertThat(webhook).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("Direction")).isEqualTo("inbound");
            assertThat(r.param("CallStatus")).isEqualTo("ringing");
            assertThat(r.param("To")).isEqualTo(NUMBER);
            assertThat(r.param("Called")).isEqualTo(NUMBER);
            assertThat(r.param("Caller")).isEqualTo("+14155550999");
            assertThat(r.param("CallSid")).isEqualTo(callSid);
        });
        assertThat(simulator.twiml()).filteredOn(t -> t.url().contains("/twiml/record"))
                .singleElement().satisfies(t -> {
                    assertThat(t.sid()).isEqualTo(callSid);
                    assertThat(t.body()).isEqualTo(WebhookReceiverResource.RECORDING_TWIML);
                });

        var call = simulator.callFinished(callSid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.direction()).isEqualTo("inbound");
        assertThat(received.named("callback/inbound-status")).singleElement()
                .satisfies(r -> assertThat(r.param("CallStatus")).isEqualTo("completed"));
        assertThat(received.named("callback/twiml-recording")).extracting(r -> r.param("RecordingStatus"))
                .containsExactly("in-progress", "completed");
    }

    @Test
    void inboundSmsDeliveryRecordsTheReply() throws Exception {
        String sid = simulator.number(ACCOUNT, NUMBER).orElseThrow().getString("sid");
        asAccount().formParam("SmsUrl", hooks + "/twiml/reply").post(API + "/IncomingPhoneNumbers/" + sid + ".json")
                .then().statusCode(200);
        var delivery = simulator.deliverInboundSms(NUMBER, "+14155550999", "STOP").await()
                .atMost(Duration.ofSeconds(5));
        assertThat(delivery.status()).isEqualTo(200);
        assertThat(delivery.body()).isEqualTo(WebhookReceiverResource.REPLY_TWIML);

        assertThat(received.named("twiml/reply")).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("Body")).isEqualTo("STOP");
            assertThat(r.param("MessageSid")).isEqualTo(delivery.sid()).isEqualTo(r.param("SmsSid"));
            assertThat(r.param("NumSegments")).isEqualTo("1");
            assertThat(r.param("SmsStatus")).isEqualTo("received");
        });
        assertThat(simulator.messages()).extracting(SimulatedMessage::direction, SimulatedMessage::body)
                .contains(tuple("inbound", "STOP"),
                        tuple("outbound-reply", "Got it"));
    }

    private String createCall(String twimlPath, List<String> events) {
        var request = asAccount().formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + twimlPath)
                .formParam("StatusCallback", hooks + "/callback/status");
        for (String event : events) {
            request = request.formParam("StatusCallbackEvent", event);
        }
        return request.post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
    }
}
