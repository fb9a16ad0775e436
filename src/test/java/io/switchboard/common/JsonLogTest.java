package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The log of a whole flow (provider, agent, number, an inbound call and its callbacks, an SMS out and in, an outbound
 * call) written by the prod formatter: one JSON object a line, every line of a request carrying the request's id
 * that the response returned, and nothing in it at INFO or above that must not be there (a secret, a token, a full
 * phone number). The JSON file handler here uses the same formatter as prod's console.
 */
@QuarkusTest
@TestProfile(JsonLogTest.JsonLog.class)
class JsonLogTest {

    static final Path LOG = Path.of("target", "json-log-test.log");
    private static final String CALLER = "+15105550123";
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * A full E.164 number, or its digits without the plus, standing alone (a Twilio SID's hex may hold a run of ten
     * digits): what a masked number never shows.
     */
    private static final Pattern FULL_NUMBER = Pattern.compile("(?<![0-9A-Za-z])\\+?\\d{10,15}(?![0-9A-Za-z])");

    public static class JsonLog implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.log.file.enabled", "true", "quarkus.log.file.path", LOG.toString(),
                    "quarkus.log.file.json.enabled", "true");
        }
    }

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @org.junit.jupiter.api.BeforeAll
    static void startAfresh() throws IOException {
        // The handler appends: a line of an earlier run must not be read as one of this run.
        if (Files.exists(LOG)) {
            Files.write(LOG, new byte[0]);
        }
    }

    @Test
    void aWholeFlowLogsJsonWithRequestIdsAndNoSecretOrFullNumber() throws Exception {
        var c = Connected.create(simulator, 2);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0)).isPresent(), "the number to be routed");

        var answer = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(200);
        simulator.callFinished(answer.sid()).toCompletableFuture().join();
        Api.as(c.org()).body(Map.of("to", CALLER, "body", "Your code is 4242"))
                .post("/v1/messages").then().statusCode(202);
        simulator.deliverInboundSms(c.number(0), CALLER, "STOP").await().atMost(Duration.ofSeconds(10));
        Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of("+15105550199")))
                .post("/v1/calls").then().statusCode(202);
        // A request that fails: its warning is a line of the request too.
        String refused = Api.as(c.org()).header(LogContext.REQUEST_ID_HEADER, "client-chosen-id-42")
                .body(Map.of("number", c.number(1), "providerId", java.util.UUID.randomUUID().toString()))
                .post("/v1/phone-numbers").then().statusCode(404).extract().header(LogContext.REQUEST_ID_HEADER);
        assertThat(refused).as("an id the client chose is kept").isEqualTo("client-chosen-id-42");
        String replaced = RestAssured.given().header(LogContext.REQUEST_ID_HEADER, "bad id\" with quotes")
                .get("/q/health/live").then().extract().header(LogContext.REQUEST_ID_HEADER);
        assertThat(replaced).matches("[0-9a-f]{16}");

        // The provider's verification runs in the request that created it, and logs.
        String created = Api.as(c.org()).body(SimAccount.create(simulator, 1).providerRequest("Second"))
                .post("/v1/providers").then().statusCode(201).extract().header(LogContext.REQUEST_ID_HEADER);
        assertThat(created).matches("[0-9a-f]{16}");

        List<JsonNode> lines = awaitLines(created);
        assertThat(lines).as("lines of the provider request").filteredOn(l -> created.equals(requestId(l)))
                .isNotEmpty().allSatisfy(l -> assertThat(l.path("mdc").path(LogContext.ORGANIZATION_ID).asText())
                        .isEqualTo(c.org().id()));

        List<String> secrets = List.of(c.account().authToken(), c.org().apiKey(), Api.ADMIN_TOKEN);
        List<String> numbers = List.of(CALLER, c.number(0), c.number(1), "+15105550199");
        var ours = lines.stream().filter(l -> !l.path("loggerName").asText().startsWith("io.switchboard.simulator"))
                .filter(l -> List.of("INFO", "WARN", "WARNING", "ERROR", "SEVERE", "FATAL")
                        .contains(l.path("level").asText()))
                .toList();
        assertThat(ours).isNotEmpty();
        for (JsonNode line : ours) {
            String text = line.toString();
            assertThat(secrets).as(text).noneMatch(text::contains);
            assertThat(numbers).as(text).noneMatch(n -> text.contains(n) || text.contains(n.substring(1)));
            // All but the last four digits masked: not even a number's leading digits.
            assertThat(numbers).as(text).noneMatch(n -> text.contains(n.substring(0, 5)));
            assertThat(FULL_NUMBER.matcher(line.path("message").asText()).find()).as(text).isFalse();
            assertThat(text).as(text).doesNotContain("Your code is").doesNotContain("X-Twilio-Signature=");
            // Tracing is off without an OTLP endpoint: nothing tries to export spans to the default address.
            assertThat(line.path("loggerName").asText()).as(text).doesNotContain("opentelemetry");
        }
        assertThat(ours).as("the webhooks' lines name the call").filteredOn(l -> l.path("mdc").has("callSid"))
                .allSatisfy(l -> assertThat(l.path("mdc").path("accountSid").asText())
                        .isEqualTo(c.account().accountSid()));
    }

    /** Every line of the log file, each parsed as the JSON object it must be; waits for the given request's lines. */
    private static List<JsonNode> awaitLines(String requestId) throws IOException {
        Await.until(Duration.ofSeconds(5), () -> read().stream().anyMatch(l -> requestId.equals(requestId(l))),
                "the request's lines to reach the log file");
        return read();
    }

    private static List<JsonNode> read() {
        try {
            var lines = new ArrayList<JsonNode>();
            for (String line : Files.readAllLines(LOG)) {
                if (!line.isBlank()) {
                    JsonNode node = JSON.readTree(line);
                    assertThat(node.isObject()).as(line).isTrue();
                    lines.add(node);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new AssertionError("the log is not one JSON object a line", e);
        }
    }

    private static String requestId(JsonNode line) {
        return line.path("mdc").path(LogContext.REQUEST_ID).asText(null);
    }
}
