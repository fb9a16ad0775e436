package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Connected;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The malformed requests of a black-box fuzz pass that were answered 500 or 503, or accepted when they should not have
 * been: each is the caller's bad input, a 400 in the contract's shape naming what is wrong.
 */
@QuarkusTest
class BadInputTest {

    private static final String STREAM = "{\"type\":\"stream\",\"url\":\"wss://agents.example.com/media\"}";

    @Inject
    TwilioSimulator simulator;

    @Test
    void aNulInAStoredStringIsA400NamingTheField() {
        var org = Api.newOrganization();
        assertInvalid(Api.asAdmin().body("{\"name\":\"org\\u0000x\"}").post("/v1/organizations"), "name");
        assertInvalid(Api.as(org).body("{\"name\":\"bot\\u0000\",\"routing\":" + STREAM + "}").post("/v1/agents"),
                "name");
        assertInvalid(Api.as(org).body("{\"name\":\"bot\",\"routing\":" + STREAM
                + ",\"parameters\":{\"tenant\":\"a\\u0000b\"}}").post("/v1/agents"), "parameters.tenant");
        assertInvalid(Api.as(org).body("{\"name\":\"bot\",\"routing\":{\"type\":\"sip\",\"uri\":"
                + "\"sip:a\\u0000@sip.example.com\"}}").post("/v1/agents"), "routing.uri");
        String agentId = Api.as(org).body("{\"name\":\"bot\",\"routing\":" + STREAM + "}").post("/v1/agents")
                .then().statusCode(201).extract().path("id");
        // A patch is read as a tree first: the same rule, the same answer.
        assertInvalid(Api.as(org).body("{\"name\":\"x\\u0000\"}").patch("/v1/agents/" + agentId), "name");
        assertInvalid(Api.as(org).body("{\"parameters\":{\"k\":[\"\\u0000\"]}}").patch("/v1/agents/" + agentId),
                "parameters.k[0]");
    }

    @Test
    void aNulInANumberOrProviderStringIsA400NamingTheField() {
        var c = Connected.create(simulator, 1);
        assertInvalid(Api.as(c.org()).body("{\"type\":\"twilio\",\"name\":\"A\\u0000\",\"accountSid\":\""
                + c.account().accountSid() + "\",\"authToken\":\"" + c.account().authToken() + "\"}")
                .post("/v1/providers"), "name");
        assertInvalid(Api.as(c.org()).body("{\"number\":\"" + c.number(0) + "\",\"providerId\":\"" + c.providerId()
                + "\",\"label\":\"front\\u0000desk\"}").post("/v1/phone-numbers"), "label");
        String numberId = c.importNumber(0, null);
        assertInvalid(Api.as(c.org()).body("{\"label\":\"\\u0000\"}").patch("/v1/phone-numbers/" + numberId),
                "label");
        assertInvalid(Api.as(c.org()).body("{\"to\":\"+14155550100\",\"body\":\"hi\\u0000\"}").post("/v1/messages"),
                "body");
        assertInvalid(Api.as(c.org()).body("{\"numbers\":[\"+1415\\u00005550100\"]}")
                .post("/v1/providers/" + c.providerId() + "/import-numbers"), "numbers[0]");
    }

    @Test
    void aNulInAQueryParameterIsTheCallersBadInputNotTheDatabaseBeingDown() {
        var org = Api.newOrganization();
        var answer = Api.as(org).urlEncodingEnabled(false).get("/v1/calls?sid=CA%00x");
        assertThat(answer.statusCode()).as(answer.asString()).isEqualTo(400);
        assertThat(answer.jsonPath().getString("error")).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/v1/agents", "/v1/providers", "/v1/phone-numbers", "/v1/calls", "/v1/api-keys",
        "/v1/opt-outs", "/v1/calls/batches", "/v1/do-not-contact" })
    void aCursorThatIsNotOneThisApiReturnedIsA400OnEveryList(String list) {
        var org = Api.newOrganization();
        var uuid = UUID.randomUUID();
        for (String cursor : List.of(base64("+294277-01-01T00:00:00Z|" + uuid), base64("-4714-01-01T00:00:00Z|" + uuid),
                base64("+10000-01-01T00:00:00Z|" + uuid), base64("2024-01-01T00:00:00Z|not-a-uuid"), "garbage",
                "%%%", base64("2024-01-01T00:00:00Z"), base64("+14155550100\u0000"))) {
            assertInvalid(Api.as(org).queryParam("cursor", cursor).get(list), "cursor");
        }
    }

    @Test
    void aCursorThisApiReturnedStillPages() {
        var org = Api.newOrganization();
        for (int i = 0; i < 3; i++) {
            Api.as(org).body("{\"name\":\"bot " + i + "\",\"routing\":" + STREAM + "}").post("/v1/agents")
                    .then().statusCode(201);
        }
        String cursor = Api.as(org).queryParam("limit", 2).get("/v1/agents").then().statusCode(200).extract()
                .path("nextCursor");
        assertThat(Api.as(org).queryParam("cursor", cursor).get("/v1/agents").then().statusCode(200).extract()
                .jsonPath().getList("items.name")).containsExactly("bot 2");
    }

    @Test
    void aKeyGivenTwiceIsA400NamingIt() {
        var org = Api.newOrganization();
        assertInvalid(Api.as(org).body("{\"name\":\"a\",\"name\":\"b\",\"routing\":" + STREAM + "}")
                .post("/v1/agents"), "name");
        assertInvalid(Api.as(org).body("{\"name\":\"a\",\"routing\":{\"type\":\"stream\",\"type\":\"sip\"}}")
                .post("/v1/agents"), "routing.type");
        assertInvalid(Api.as(org).body("{\"name\":\"a\",\"routing\":" + STREAM
                + ",\"parameters\":{\"k\":\"1\",\"k\":\"2\"}}").post("/v1/agents"), "parameters.k");
        assertInvalid(Api.asAdmin().body("{\"name\":\"a\",\"name\":\"b\"}").post("/v1/organizations"), "name");
        String agentId = Api.as(org).body("{\"name\":\"bot\",\"routing\":" + STREAM + "}").post("/v1/agents")
                .then().statusCode(201).extract().path("id");
        assertInvalid(Api.as(org).body("{\"name\":\"a\",\"name\":\"b\"}").patch("/v1/agents/" + agentId), "name");
    }

    @Test
    void aNullAmongTheNumbersToImportIsA400NamingIt() {
        var c = Connected.create(simulator, 1);
        assertInvalid(Api.as(c.org()).body("{\"numbers\":[null]}")
                .post("/v1/providers/" + c.providerId() + "/import-numbers"), "numbers[0]");
        assertInvalid(Api.as(c.org()).body("{\"numbers\":[\"" + c.number(0) + "\",null]}")
                .post("/v1/providers/" + c.providerId() + "/import-numbers"), "numbers[1]");
    }

    @Test
    void anAgentSettingThatCannotBeWrittenInTwimlIsRefused() {
        var org = Api.newOrganization();
        for (String value : List.of("a\\u0001b", "\\u001f", "\\ufffe", "a\\ud800", "\\udc00b")) {
            assertInvalid(Api.as(org).body("{\"name\":\"bot\",\"routing\":" + STREAM
                    + ",\"parameters\":{\"tenant\":\"" + value + "\"}}").post("/v1/agents"), "parameters.tenant");
            assertInvalid(Api.as(org).body("{\"name\":\"bot\",\"routing\":{\"type\":\"sip\",\"uri\":\"sip:a" + value
                    + "@sip.example.com\"}}").post("/v1/agents"), "routing.uri");
            assertInvalid(Api.as(org).body("{\"name\":\"bot\",\"routing\":{\"type\":\"stream\",\"url\":"
                    + "\"wss://agents.example.com/a" + value + "\"}}").post("/v1/agents"), "routing.url");
        }
        // java.net.URI refuses it, so the TwiML would carry an empty <Sip/>.
        assertInvalid(Api.as(org).body(Map.of("name", "bot", "routing", Map.of("type", "sip",
                "uri", "sip:a|b@sip.example.com"))).post("/v1/agents"), "routing.uri");
        // Tabs, line feeds and everything else XML allows are the customer's to send.
        Api.as(org).body("{\"name\":\"bot\",\"routing\":" + STREAM
                + ",\"parameters\":{\"tenant\":\"a\\tb\\nc \\u0085 \\ud83d\\ude00 \\ufffd\"}}").post("/v1/agents")
                .then().statusCode(201);
    }

    private static String base64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** A 400 in the contract's shape, naming exactly this field, and no trace of a class or a stack frame. */
    private static void assertInvalid(Response answer, String field) {
        String text = answer.asString();
        assertThat(answer.statusCode()).as(text).isEqualTo(400);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(text).doesNotContain("Exception").doesNotContain("io.switchboard").doesNotContain("\tat ");
        JsonPath body = answer.jsonPath();
        assertThat(body.getString("error")).as(text).isEqualTo("invalid_request");
        assertThat(body.getList("details.field")).as(text).containsExactly(field);
        assertThat(body.getString("message")).as(text).startsWith(field + ": ");
    }
}
