package io.switchboard.simulator;

import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The call Recordings update: a live call's recording paused, resumed and stopped as Twilio does it, with Twilio's
 * refusals, answers that match the spec, and no recording status callback for a pause or a resume.
 */
@QuarkusTest
class SimulatorCallRecordingsTest {

    private static final String CURRENT = "/Recordings/Twilio.CURRENT.json";

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
        simulator.setTiming(new Timing(Duration.ofMillis(20), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.reset();
    }

    @Test
    void aLiveRecordingIsPausedResumedAndStopped() throws Exception {
        String sid = recordedCall();
        String call = API + "/Calls/" + sid;
        String recordingSid = simulator.callRecordings(sid).keySet().iterator().next();

        var paused = asAccount().formParam("Status", "paused").formParam("PauseBehavior", "skip")
                .post(call + CURRENT);
        paused.then().statusCode(200).body("sid", equalTo(recordingSid)).body("call_sid", equalTo(sid))
                .body("account_sid", equalTo(ACCOUNT)).body("status", equalTo("paused"))
                .body("source", equalTo("OutboundAPI"));
        matchesSpec(call + CURRENT, paused);
        assertThat(simulator.callRecordings(sid)).containsEntry(recordingSid, "paused");

        // By its own sid as well as Twilio.CURRENT.
        asAccount().formParam("Status", "in-progress").post(call + "/Recordings/" + recordingSid + ".json").then()
                .statusCode(200).body("status", equalTo("in-progress"));
        asAccount().formParam("Status", "stopped").post(call + CURRENT).then().statusCode(200)
                .body("status", equalTo("stopped"));
        assertThat(simulator.callRecordings(sid)).containsEntry(recordingSid, "stopped");
        // Stopping ends the recording: its completed callback comes now, while the call goes on.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (received.named("callback/recording").size() < 2 && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(received.named("callback/recording")).extracting(r -> r.param("RecordingStatus"))
                .containsExactly("in-progress", "completed");
        assertThat(received.named("callback/recording").get(1).param("RecordingSid")).isEqualTo(recordingSid);
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");

        // Nothing records the call now.
        asAccount().formParam("Status", "paused").post(call + CURRENT).then().statusCode(404)
                .body("code", equalTo(20404));

        asAccount().formParam("Status", "completed").post(call + ".json").then().statusCode(200);
        simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
        // Pausing and resuming send no callback, and the call's end none again for the stopped recording.
        assertThat(received.named("callback/recording")).extracting(r -> r.param("RecordingStatus"))
                .containsExactly("in-progress", "completed");

        asAccount().formParam("Status", "paused").post(call + CURRENT).then().statusCode(400)
                .body("code", equalTo(21220));
    }

    @Test
    void badUpdatesAndUnknownCallsAreRefused() throws Exception {
        String sid = recordedCall();
        String call = API + "/Calls/" + sid;
        asAccount().formParam("Status", "completed").post(call + CURRENT).then().statusCode(400)
                .body("code", equalTo(20001));
        asAccount().formParam("Status", "paused").formParam("PauseBehavior", "mute").post(call + CURRENT).then()
                .statusCode(400).body("code", equalTo(20001));
        asAccount().formParam("Status", "paused").post(call + "/Recordings/RE" + "0".repeat(32) + ".json").then()
                .statusCode(404).body("code", equalTo(20404));
        // The region that handles the call alone knows it, even to credentials valid in another.
        simulator.addRegionalAuthToken(ACCOUNT, SimRegion.AU1, TOKEN);
        asAccount().formParam("Status", "paused").post("/sim/au1/api/2010-04-01/Accounts/" + ACCOUNT + "/Calls/"
                + sid + CURRENT).then().statusCode(404);
        asAccount().formParam("Status", "paused").post(API + "/Calls/CA" + "0".repeat(32) + CURRENT).then()
                .statusCode(404);
        assertThat(simulator.callRecordings(sid)).containsValue("in-progress");
        asAccount().formParam("Status", "completed").post(call + ".json").then().statusCode(200);
        simulator.callFinished(sid).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** An answered outbound call recorded from its start (Record), once its recording runs. */
    private String recordedCall() throws Exception {
        String sid = asAccount().formParam("To", "+14155550999").formParam("From", NUMBER)
                .formParam("Url", hooks + "/twiml/say").formParam("Record", "true")
                .formParam("RecordingStatusCallback", hooks + "/callback/recording")
                .formParam("RecordingStatusCallbackEvent", "in-progress")
                .formParam("RecordingStatusCallbackEvent", "completed")
                .post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (simulator.callRecordings(sid).isEmpty() && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(simulator.callRecordings(sid)).hasSize(1);
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");
        return sid;
    }

    private static void matchesSpec(String simPath, Response response) {
        var built = SimpleResponse.Builder.status(response.statusCode()).withContentType("application/json")
                .withBody(response.asString()).build();
        var report = Spec.API.validateResponse(simPath.replaceFirst("^/sim/[a-z]+", ""), Request.Method.POST, built);
        assertThat(report.getMessages()).as(response.asString()).isEmpty();
    }

    private static final class Spec {
        static final OpenApiInteractionValidator API = load();

        private static OpenApiInteractionValidator load() {
            try (var in = SimulatorCallRecordingsTest.class.getResourceAsStream("/twilio-oai/twilio_api_v2010.json")) {
                return OpenApiInteractionValidator.createForInlineApiSpecification(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .withLevelResolver(LevelResolver.create().build()).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
