package io.switchboard.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.twilio.WebhookEndpoint;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The {@code /twilio} metrics: every series there from the start, each answer counted once by its status class. */
@QuarkusTest
class WebhookMetricsTest {

    @Inject
    TwilioSimulator simulator;

    @Test
    void everyEndpointIsMeasuredFromTheStartAndEachAnswerByItsStatusClass() {
        String metrics = metrics();
        for (WebhookEndpoint endpoint : WebhookEndpoint.values()) {
            for (String status : List.of("2xx", "3xx", "4xx", "5xx")) {
                assertThat(metrics).contains(series(endpoint.name().toLowerCase(Locale.ROOT), status));
            }
        }
        double answered = count("voice_inbound", "2xx");
        double refused = count("voice_inbound", "4xx");
        double other = count("other", "4xx");
        var c = Connected.create(simulator, 1);

        var call = SignedWebhook.inboundCall(c.account().accountSid(), "+15105550123", c.number(0));
        assertThat(SignedWebhook.post("/twilio/voice/inbound", call, c.account().authToken()).statusCode())
                .isEqualTo(200);
        given().contentType("application/x-www-form-urlencoded").formParam("To", c.number(0))
                .post("/twilio/voice/inbound").then().statusCode(403);
        given().contentType("application/x-www-form-urlencoded").post("/twilio/nothing-here").then().statusCode(403);

        // Counted once the answer has gone, which the client may see a moment before.
        Await.until(Duration.ofSeconds(5), () -> count("other", "4xx") == other + 1, "the last answer counted");
        assertThat(count("voice_inbound", "2xx")).isEqualTo(answered + 1);
        assertThat(count("voice_inbound", "4xx")).isEqualTo(refused + 1);
        assertThat(metrics()).as("not in the generic HTTP server metrics as well")
                .doesNotContainPattern("http_server_requests_seconds_count\\{[^}]*uri=\"/twilio");
    }

    private static String series(String endpoint, String status) {
        return "switchboard_webhook_requests_seconds_count{endpoint=\"" + endpoint + "\",status=\"" + status + "\"}";
    }

    private static double count(String endpoint, String status) {
        var line = Pattern.compile(Pattern.quote(series(endpoint, status)) + " (\\S+)").matcher(metrics());
        assertThat(line.find()).as(series(endpoint, status)).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
