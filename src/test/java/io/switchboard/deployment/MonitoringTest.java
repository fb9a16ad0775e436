package io.switchboard.deployment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules and the dashboard in {@code deployment/monitoring} ask only for metrics the service has from the
 * moment it starts: a rule on a series that appears only after its first event cannot fire on the first one, and a
 * misspelt name never fires at all.
 */
@QuarkusTest
class MonitoringTest {

    private static final Path MONITORING = Path.of("deployment", "monitoring");
    private static final Pattern METRIC = Pattern.compile("\\bswitchboard_[a-z0-9_]+");

    @Test
    void everyMetricTheAlertsAndTheDashboardUseIsThereAtStart() throws IOException {
        Set<String> used = new TreeSet<>();
        for (String expr : alertExpressions()) {
            used.addAll(metrics(expr));
        }
        for (String expr : dashboardExpressions()) {
            used.addAll(metrics(expr));
        }
        assertThat(used).contains("switchboard_twilio_breakers_open", "switchboard_calls_inbound_dropped_total",
                "switchboard_webhook_rejected_total", "switchboard_callbacks_total",
                "switchboard_routing_table_age_seconds", "switchboard_dispatch_claims_total",
                "switchboard_reconcile_outcomes_total");
        String exposed = given().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> missing = used.stream().filter(name -> !Pattern.compile("(?m)^" + name + "[{ ]").matcher(exposed)
                .find()).toList();
        assertThat(missing).as("metrics used in deployment/monitoring but not exposed at start").isEmpty();
    }

    @Test
    void everyAlertHasASeverityASummaryAndARunbook() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("alerts.yaml").toFile());
        assertThat(rules.path("kind").asText()).isEqualTo("PrometheusRule");
        List<JsonNode> alerts = new ArrayList<>();
        rules.path("spec").path("groups").forEach(g -> g.path("rules").forEach(alerts::add));
        assertThat(alerts).hasSizeGreaterThanOrEqualTo(6).allSatisfy(alert -> {
            String name = alert.path("alert").asText();
            assertThat(name).startsWith("Switchboard");
            assertThat(alert.path("labels").path("severity").asText()).as(name).isIn("info", "warning", "critical");
            assertThat(alert.path("annotations").path("summary").asText()).as(name).isNotBlank();
            assertThat(alert.path("annotations").path("runbook").asText()).as(name).isNotBlank();
        });
    }

    private static List<String> alertExpressions() throws IOException {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(MONITORING.resolve("alerts.yaml").toFile());
        List<String> exprs = new ArrayList<>();
        rules.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr")
                .asText())));
        return exprs;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("dashboard.json").toFile());
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertThat(exprs).isNotEmpty();
        return exprs;
    }

    private static Set<String> metrics(String expr) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC.matcher(expr);
        while (m.find()) {
            names.add(m.group());
        }
        return names;
    }
}
