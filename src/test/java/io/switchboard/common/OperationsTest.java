package io.switchboard.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.RateLimitException;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OperationsTest {

    @Inject
    RateLimitedProbe probe;

    /**
     * Readiness means "can answer Twilio"; the database reports in its own group, so that an outage cannot take every
     * replica out of the Service at once (DatabaseFreezeTest stops it).
     */
    @Test
    void readinessIsAboutAnsweringTwilioAndTheDatabaseReportsInItsOwnGroup() {
        given().get("/q/health/ready")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                // Quarkus' own check turns readiness down for the shutdown delay (quarkus.shutdown.delay-enabled).
                .body("checks.name", containsInAnyOrder("routing-table", "webhook-keys", "Graceful Shutdown"))
                .body("checks.status", everyItem(equalTo("UP")));
        given().get("/q/health/group/database")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'database' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'change-feeds' }.status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.find { it.name == 'event-loops' }.status", equalTo("UP"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("switchboard_database_up 1.0"))
                .body(containsString("switchboard_database_change_feeds_listening 2.0"));
    }

    /**
     * The fault-tolerance release in the platform throws from the Prometheus registry on the first rate-limit
     * decision; the pinned one records it. Guards the pin.
     */
    @Test
    void rateLimitedCallsWorkWithPrometheusMetrics() {
        assertThat(probe.call().await().atMost(Duration.ofSeconds(5))).isEqualTo("ok");
        assertThat(probe.call().await().atMost(Duration.ofSeconds(5))).isEqualTo("ok");
        assertThatThrownBy(() -> probe.call().await().atMost(Duration.ofSeconds(5)))
                .isInstanceOf(RateLimitException.class);

        given().get("/q/metrics")
                .then().statusCode(200)
                .body(containsString("ft_ratelimit_calls_total"))
                .body(containsString("rateLimitResult=\"permitted\""))
                .body(containsString("rateLimitResult=\"rejected\""));
    }

    @Test
    void openApiDocumentIsServed() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/organizations"));
    }
}
