package io.switchboard.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code switchboard_callbacks_total}: every kind and outcome there from the start, each callback counted once. */
@QuarkusTest
class CallbackMetricsTest {

    @Inject
    TwilioSimulator simulator;

    @Test
    void everyKindIsCountedFromTheStartAndEachCallbackOnceByWhatCameOfIt() {
        String metrics = metrics();
        for (String kind : List.of("voice_status", "voice_recording", "voice_amd", "messaging_status",
                "messaging_inbound")) {
            for (String outcome : List.of("stored", "duplicate", "refused")) {
                assertThat(metrics).contains(series(kind, outcome));
            }
        }
        double stored = count("voice_status", "stored");
        double duplicate = count("voice_status", "duplicate");
        double refused = count("voice_status", "refused");
        double messages = count("messaging_status", "stored");
        double messageDuplicates = count("messaging_status", "duplicate");
        var c = Connected.create(simulator, 1);
        String token = c.account().authToken();

        var status = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid",
                "CA" + SimAccount.hex(16), "CallStatus", "completed", "SequenceNumber", "3");
        assertThat(SignedWebhook.post("/twilio/voice/status", status, token).statusCode()).isEqualTo(204);
        assertThat(SignedWebhook.post("/twilio/voice/status", status, token).statusCode()).isEqualTo(204);
        var noSid = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallStatus", "completed");
        assertThat(SignedWebhook.post("/twilio/voice/status", noSid, token).statusCode()).isEqualTo(400);
        var message = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid",
                "SM" + SimAccount.hex(16), "MessageStatus", "delivered");
        assertThat(SignedWebhook.post("/twilio/messaging/status", message, token).statusCode()).isEqualTo(204);
        assertThat(SignedWebhook.post("/twilio/messaging/status", message, token).statusCode()).isEqualTo(204);

        // Counted as the answer goes, which the client may see a moment before.
        Await.until(Duration.ofSeconds(5), () -> count("messaging_status", "duplicate") == messageDuplicates + 1,
                "the last callback counted");
        assertThat(count("voice_status", "stored")).isEqualTo(stored + 1);
        assertThat(count("voice_status", "duplicate")).isEqualTo(duplicate + 1);
        assertThat(count("voice_status", "refused")).isEqualTo(refused + 1);
        assertThat(count("messaging_status", "stored")).isEqualTo(messages + 1);
    }

    private static String series(String kind, String outcome) {
        return "switchboard_callbacks_total{kind=\"" + kind + "\",outcome=\"" + outcome + "\"}";
    }

    private static double count(String kind, String outcome) {
        var line = Pattern.compile(Pattern.quote(series(kind, outcome)) + " (\\S+)").matcher(metrics());
        assertThat(line.find()).as(series(kind, outcome)).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
