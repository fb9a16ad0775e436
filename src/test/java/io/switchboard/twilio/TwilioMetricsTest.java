package io.switchboard.twilio;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.twilio.TwilioEndpoints.Product;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

/** The Twilio client's metrics: every series there from the start, each request counted by what came of it. */
@QuarkusTest
class TwilioMetricsTest {

    @Inject
    TwilioSimulator simulator;

    @Test
    void everySeriesIsThereFromTheStartAndARequestIsCountedByItsOutcome() {
        String metrics = metrics();
        for (Product product : Product.values()) {
            for (TwilioRegion region : TwilioRegion.values()) {
                for (String method : TwilioMetrics.METHODS) {
                    for (String outcome : TwilioMetrics.OUTCOMES) {
                        assertThat(metrics).contains(series(product, region, method, outcome));
                    }
                }
                assertThat(metrics).contains("switchboard_twilio_request_duration_seconds_bucket{product=\""
                        + product.name().toLowerCase(Locale.ROOT) + "\",region=\"" + region.id() + "\",le=\"0.25\"}");
            }
            assertThat(metrics).doesNotContainPattern("switchboard_twilio_[a-z_]+\\{[^}]*AC[0-9a-f]{32}");
        }
        for (TwilioRegion region : TwilioRegion.values()) {
            // Present from the start; its value is what earlier tests in this application left open.
            assertThat(metrics).containsPattern(Pattern.quote("switchboard_twilio_breakers_open{region=\""
                    + region.id() + "\"} ") + "\\d");
        }

        double before = count(series(Product.API, TwilioRegion.US1, "GET", "2xx"));
        Connected.create(simulator, 1);
        // Verifying the provider read its account: at least one GET that Twilio answered.
        Await.until(Duration.ofSeconds(5), () -> count(series(Product.API, TwilioRegion.US1, "GET", "2xx")) > before,
                "the provider's requests to be counted");
    }

    @Test
    void outcomesAreTwilioCodeFamiliesAndWhatStoppedARequest() {
        assertThat(TwilioMetrics.outcome(201, null)).isEqualTo("2xx");
        assertThat(TwilioMetrics.outcome(401, 20003)).isEqualTo("4xx_20");
        assertThat(TwilioMetrics.outcome(400, 21211)).isEqualTo("4xx_21");
        assertThat(TwilioMetrics.outcome(400, null)).isEqualTo("4xx_other");
        assertThat(TwilioMetrics.outcome(429, 20429)).isEqualTo("429");
        assertThat(TwilioMetrics.outcome(400, 20429)).isEqualTo("429");
        assertThat(TwilioMetrics.outcome(503, null)).isEqualTo("5xx");
        var timeout = new TwilioUnavailableException(TwilioException.Kind.RETRYABLE, 0, null, "no answer",
                new TimeoutException(), null);
        assertThat(TwilioMetrics.outcome(timeout)).isEqualTo("timeout");
        var refused = new TwilioUnavailableException(TwilioException.Kind.RETRYABLE, 0, null, "refused",
                new ConnectException(), null);
        assertThat(TwilioMetrics.outcome(refused)).isEqualTo("connection");
        assertThat(TwilioMetrics.outcome(new TwilioException(TwilioException.Kind.RETRYABLE, 0, null,
                "not sent, this account already has 8 requests in flight", null))).isEqualTo("not_sent");
        assertThat(TwilioMetrics.outcome(new CircuitBreakerOpenException("open"))).isEqualTo("not_sent");
    }

    @Test
    void theBreakerGaugeCountsTheOpenBreakersOfItsRegionOnly() {
        var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        var metrics = new TwilioMetrics(registry);
        java.util.function.Function<String, Double> open = region -> registry.get("switchboard.twilio.breakers.open")
                .tag("region", region).gauge().value();
        metrics.breakerState("us1/AC1", io.smallrye.faulttolerance.api.CircuitBreakerState.OPEN);
        metrics.breakerState("us1/AC2", io.smallrye.faulttolerance.api.CircuitBreakerState.OPEN);
        metrics.breakerState("ie1/AC1", io.smallrye.faulttolerance.api.CircuitBreakerState.HALF_OPEN);
        assertThat(open.apply("us1")).isEqualTo(2.0);
        assertThat(open.apply("ie1")).isEqualTo(0.0);
        metrics.breakerState("us1/AC1", io.smallrye.faulttolerance.api.CircuitBreakerState.CLOSED);
        assertThat(open.apply("us1")).isEqualTo(1.0);
    }

    private static String series(Product product, TwilioRegion region, String method, String outcome) {
        return "switchboard_twilio_requests_seconds_count{method=\"" + method + "\",outcome=\"" + outcome
                + "\",product=\"" + product.name().toLowerCase(Locale.ROOT) + "\",region=\"" + region.id() + "\"}";
    }

    private static double count(String series) {
        var line = Pattern.compile(Pattern.quote(series) + " (\\S+)").matcher(metrics());
        assertThat(line.find()).as(series).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
