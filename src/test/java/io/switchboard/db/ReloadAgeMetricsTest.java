package io.switchboard.db;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The age of each replica's routing table and webhook keys: there from the start, growing while nothing changes, and
 * back near 0 once a change is applied from the change feed.
 */
@QuarkusTest
class ReloadAgeMetricsTest {

    private static final String ROUTING = "switchboard_routing_table_age_seconds";
    private static final String KEYS = "switchboard_webhook_keys_age_seconds";

    @Inject
    TwilioSimulator simulator;

    @Test
    void eachAgeGrowsUntilAChangeIsApplied() {
        assertThat(age(ROUTING)).isNotNegative();
        assertThat(age(KEYS)).isNotNegative();
        Await.until(Duration.ofSeconds(10), () -> age(ROUTING) > 1.5 && age(KEYS) > 1.5,
                "both ages to grow while nothing changes");

        // A provider connected: both copies reload it (provider:<id>).
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1);
        Api.as(org).body(account.providerRequest("Acme")).post("/v1/providers").then().statusCode(201);

        Await.until(Duration.ofSeconds(2), () -> age(ROUTING) < 1 && age(KEYS) < 1,
                "both ages back near 0 once the change is applied");
    }

    private static double age(String name) {
        var line = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)").matcher(metrics());
        assertThat(line.find()).as(name).isTrue();
        return Double.parseDouble(line.group(1));
    }

    private static String metrics() {
        return given().get("/q/metrics").then().statusCode(200).extract().asString();
    }
}
