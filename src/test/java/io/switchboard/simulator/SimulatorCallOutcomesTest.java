package io.switchboard.simulator;

import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The designated outcome numbers ({@link CallOutcomes}) end their calls busy, unanswered or failed with Twilio's
 * sequence of status callbacks, and a machine number is found to be a machine by answering machine detection.
 */
@QuarkusTest
class SimulatorCallOutcomesTest {

    private static final String[] ALL_EVENTS = { "initiated", "ringing", "answered", "completed" };

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
    void aBusyNumberRingsThenEndsBusyWithoutBeingAnswered() throws Exception {
        var call = place("+15005551001");
        assertThat(call.status()).isEqualTo("busy");
        assertThat(call.durationSeconds()).isZero();
        assertThat(statuses()).containsExactly("initiated", "ringing", "busy");
        assertThat(received.named("twiml/say")).isEmpty();
        asAccount().get(API + "/Calls/" + call.sid() + ".json").then().statusCode(200)
                .body("status", equalTo("busy")).body("start_time", equalTo(null));
    }

    @Test
    void anUnansweredNumberRingsThenEndsNoAnswer() throws Exception {
        var call = place("+15005552001");
        assertThat(call.status()).isEqualTo("no-answer");
        assertThat(statuses()).containsExactly("initiated", "ringing", "no-answer");
        assertThat(received.named("twiml/say")).isEmpty();
    }

    @Test
    void aFailingNumberNeverRings() throws Exception {
        var call = place("+15005553001");
        assertThat(call.status()).isEqualTo("failed");
        assertThat(statuses()).containsExactly("initiated", "failed");
    }

    @Test
    void aMachineNumberIsAnsweredAndWithoutDetectionLooksLikeAPerson() throws Exception {
        var call = place("+15005554001");
        assertThat(call.status()).isEqualTo("completed");
        assertThat(call.answeredBy()).isNull();
        assertThat(statuses()).containsExactly("initiated", "ringing", "in-progress", "completed");
        assertThat(received.named("twiml/say")).hasSize(1);
    }

    @Test
    void asynchronousDetectionReportsAMachineToItsOwnCallback() throws Exception {
        String sid = create("+15005554002", "DetectMessageEnd");
        var call = simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(call.answeredBy()).isEqualTo("machine_end_beep");
        var amd = received.named("callback/amd");
        assertThat(amd).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("CallSid")).isEqualTo(sid);
            assertThat(r.param("AnsweredBy")).isEqualTo("machine_end_beep");
            assertThat(r.param("MachineDetectionDuration")).isNotBlank();
        });
        // Asynchronous: the TwiML was asked for without waiting for the answer.
        assertThat(received.named("twiml/say")).singleElement()
                .satisfies(r -> assertThat(r.param("AnsweredBy")).isNull());
        asAccount().get(API + "/Calls/" + sid + ".json").then().statusCode(200)
                .body("answered_by", equalTo("machine_end_beep"));
    }

    @Test
    void detectionWithEnableReportsTheStartOfAMachineAndAPersonElsewhere() throws Exception {
        String machine = create("+15005554003", "Enable");
        String person = create("+14155550999", "Enable");
        simulator.callFinished(machine).toCompletableFuture().get(5, TimeUnit.SECONDS);
        simulator.callFinished(person).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(received.named("callback/amd")).extracting(r -> r.param("CallSid") + "=" + r.param("AnsweredBy"))
                .containsExactlyInAnyOrder(machine + "=machine_start", person + "=human");
    }

    @Test
    void detectionParametersOutsideTwiliosValuesAreRefused() {
        asAccount().formParam("To", "+15005554004").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").formParam("MachineDetection", "Sometimes")
                .post(API + "/Calls.json").then().statusCode(400).body("code", equalTo(20001));
        asAccount().formParam("To", "+15005554004").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").formParam("MachineDetection", "Enable")
                .formParam("AsyncAmd", "maybe")
                .post(API + "/Calls.json").then().statusCode(400).body("code", equalTo(20001));
        asAccount().formParam("To", "+15005554004").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").formParam("MachineDetection", "Enable")
                .formParam("AsyncAmd", "true").formParam("AsyncAmdStatusCallbackMethod", "PUT")
                .post(API + "/Calls.json").then().statusCode(400);
    }

    private SimulatedCall place(String to) throws Exception {
        String sid = asAccount()
                .formParam("To", to).formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say")
                .formParam("StatusCallback", hooks + "/callback/status")
                .formParam("StatusCallbackEvent", (Object[]) ALL_EVENTS)
                .post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        return simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private String create(String to, String mode) {
        return asAccount()
                .formParam("To", to).formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say")
                .formParam("MachineDetection", mode).formParam("AsyncAmd", "true")
                .formParam("AsyncAmdStatusCallback", hooks + "/callback/amd")
                .formParam("AsyncAmdStatusCallbackMethod", "POST")
                .post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
    }

    private List<String> statuses() {
        return received.named("callback/status").stream().map(r -> r.param("CallStatus")).toList();
    }
}
