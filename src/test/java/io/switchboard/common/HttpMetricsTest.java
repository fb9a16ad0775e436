package io.switchboard.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Requests refused before or without a route (405, 401, 404, an unsigned webhook) are measured under a template, never
 * their own URI: with their URIs they filled the 100-URI cap, after which real routes went unmeasured.
 */
@QuarkusTest
class HttpMetricsTest {

    @Inject
    MeterRegistry metrics;

    @Test
    void refusedRequestsLeaveOnlyTemplates() {
        String marker = "m" + UUID.randomUUID().toString().substring(0, 8);
        var org = Api.newOrganization();
        for (int i = 0; i < 150; i++) {
            String id = marker + "-" + i;
            switch (i % 5) {
                case 0 -> Api.as(org).body("{}").put("/v1/providers/" + id).then().statusCode(405);
                case 1 -> given().get("/v1/providers/" + id).then().statusCode(401);
                case 2 -> given().get("/" + id).then().statusCode(404);
                case 3 -> given().formParams("AccountSid", "AC1").post("/twilio/" + id).then().statusCode(403);
                default -> Api.as(org).delete("/v1/" + id).then().statusCode(404);
            }
        }
        Api.as(org).get("/v1/api-keys").then().statusCode(200);
        // Recorded when the response has been written, which the client may see first.
        Await.until(Duration.ofSeconds(2),
                () -> !metrics.find("http.server.requests").tag("uri", "/v1/api-keys").meters().isEmpty(),
                "the real route to be measured");

        List<String> uris = metrics.find("http.server.requests").meters().stream()
                .map(meter -> meter.getId().getTag("uri")).distinct().toList();
        assertThat(uris).noneMatch(uri -> uri != null && uri.contains(marker));
        assertThat(uris).contains("/v1/api-keys");
        assertThat(metrics.find("http.server.requests").tag("uri", "/v1/api-keys").tag("status", "200").meters())
                .extracting(Meter::getId).isNotEmpty();
    }
}
