package io.switchboard.webhook;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Await;
import io.switchboard.support.LogCapture;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** A flood of refused webhooks is counted one by one and logged a line a second, with how many the line stands for. */
@QuarkusTest
class WebhookRefusalsTest {

    private static final Pattern MORE = Pattern.compile("\\(and (\\d+) more for this reason");

    @Inject
    MeterRegistry metrics;

    @Test
    void everyReasonReadsZeroBeforeTheFirstRefusal() {
        var registry = new SimpleMeterRegistry();
        new WebhookRefusals(registry);
        for (String reason : WebhookRefusals.REASONS) {
            assertThat(registry.get("switchboard.webhook.rejected").tag("reason", reason).counter().count())
                    .as(reason).isZero();
        }
        assertThat(WebhookRefusals.REASONS).contains("missing_signature", "bad_signature", "unknown_owner",
                "body_too_large", "body_timeout");
    }

    @Test
    void aFloodIsCountedWholeAndLoggedOncePerSecond() {
        // A line just written: whatever earlier tests' refusals it left unlogged are counted in it, not in ours.
        try (var earlier = LogCapture.start()) {
            Await.until(Duration.ofSeconds(3), () -> {
                unsigned();
                return lines(earlier) > 0;
            }, "a refusal to be logged");
        }
        double before = refused("missing_signature");
        int sent = 0;
        try (var logs = LogCapture.start()) {
            long start = System.nanoTime();
            for (; sent < 300; sent++) {
                unsigned();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(lines(logs)).isLessThanOrEqualTo((long) Math.ceil(seconds) + 1);
            // A refusal a second later logs again, with the count of those it did not log.
            long lines = lines(logs);
            int[] more = { 0 };
            Await.until(Duration.ofSeconds(3), () -> {
                unsigned();
                more[0]++;
                return lines(logs) > lines;
            }, "a refusal to be logged again");
            sent += more[0];
            long represented = logs.lines().stream().filter(WebhookRefusalsTest::isRefusal).mapToLong(line -> {
                Matcher m = MORE.matcher(line);
                return 1 + (m.find() ? Long.parseLong(m.group(1)) : 0);
            }).sum();
            assertThat(represented).isEqualTo(sent);
        }
        assertThat(refused("missing_signature") - before).isEqualTo(sent);
    }

    private static void unsigned() {
        given().formParams("AccountSid", "AC00000000000000000000000000000001").post("/twilio/voice/inbound").then()
                .statusCode(403);
    }

    private static long lines(LogCapture logs) {
        return logs.lines().stream().filter(WebhookRefusalsTest::isRefusal).count();
    }

    private static boolean isRefusal(String line) {
        return line.contains("refused webhook POST /twilio/voice/inbound: missing_signature");
    }

    private double refused(String reason) {
        return metrics.get("switchboard.webhook.rejected").tag("reason", reason).counter().count();
    }
}
