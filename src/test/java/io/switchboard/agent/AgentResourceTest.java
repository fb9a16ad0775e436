package io.switchboard.agent;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class AgentResourceTest {

    private Api.Org org;

    @BeforeEach
    void newOrganization() {
        org = Api.newOrganization();
    }

    @Test
    void createsEachRoutingType() {
        Api.as(org).body(Map.of("name", "Stream bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"),
                "parameters", Map.of("tenant", "acme", "voice", "alloy"),
                "recording", "on", "transferNumber", "+14155550100"))
                .post("/v1/agents")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("routing.type", equalTo("stream"))
                .body("routing.url", equalTo("wss://agents.example.com/media"))
                .body("parameters.tenant", equalTo("acme"))
                .body("recording", equalTo("on"))
                .body("transferNumber", equalTo("+14155550100"))
                .body("createdAt", notNullValue());
        Api.as(org).body(Map.of("name", "SIP bot", "routing", Map.of("type", "sip",
                "uri", "sips:agent@sip.example.com:5061;transport=tls")))
                .post("/v1/agents")
                .then().statusCode(201)
                .body("routing.uri", equalTo("sips:agent@sip.example.com:5061;transport=tls"))
                .body("recording", equalTo("off"))
                .body("parameters", equalTo(Map.of()));
        Api.as(org).body(Map.of("name", "Human", "routing", Map.of("type", "number", "number", "+442071838750")))
                .post("/v1/agents")
                .then().statusCode(201)
                .body("routing.number", equalTo("+442071838750"))
                .body("routing.url", equalTo(null));
    }

    @Test
    void aConversationRelayAgentIsStoredListedAndPatchedWithItsSettings() {
        var routing = new HashMap<String, Object>(Map.of("type", "conversationRelay",
                "url", "wss://relay.example.com/ws", "welcomeGreeting", "Hi, how can I help?", "language", "en-US",
                "voice", "en-US-Journey-O", "ttsProvider", "Google", "transcriptionProvider", "Deepgram",
                "interruptible", "speech", "welcomeGreetingInterruptible", "none"));
        routing.put("dtmfDetection", true);
        String id = Api.as(org).body(Map.of("name", "Relay bot", "routing", routing, "transferNumber", "+14155550100"))
                .post("/v1/agents")
                .then().statusCode(201)
                .body("routing", equalTo(routing))
                .extract().path("id");
        Api.as(org).get("/v1/agents/" + id).then().statusCode(200).body("routing", equalTo(routing));
        Api.as(org).get("/v1/agents").then().statusCode(200).body("items[0].routing", equalTo(routing));

        // A patch replaces the route whole: settings it leaves out are gone.
        Api.as(org).body(Map.of("routing", Map.of("type", "conversationRelay", "url", "wss://relay.example.com/v2",
                "language", "multi")))
                .patch("/v1/agents/" + id)
                .then().statusCode(200)
                .body("routing", equalTo(Map.of("type", "conversationRelay", "url", "wss://relay.example.com/v2",
                        "language", "multi")));
        // Patched to another type, the relay settings do not linger.
        Api.as(org).body(Map.of("routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")))
                .patch("/v1/agents/" + id)
                .then().statusCode(200)
                .body("routing", equalTo(Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "url                          | ws://relay.example.com/ws   | routing.url",
        "url                          | wss://relay.example.com?x=1 | routing.url",
        "language                     | english please              | routing.language",
        "voice                        | a voice with spaces         | routing.voice",
        "ttsProvider                  | Polly                       | routing.ttsProvider",
        "transcriptionProvider        | Whisper                     | routing.transcriptionProvider",
        "interruptible                | true                        | routing.interruptible",
        "welcomeGreetingInterruptible | sometimes                   | routing.welcomeGreetingInterruptible",
        "welcomeGreeting              | '   '                       | routing.welcomeGreeting",
        "uri                          | sip:a@b.example.com         | routing",
    })
    void rejectsInvalidConversationRelaySettings(String field, String value, String expectedField) {
        var routing = new HashMap<String, Object>(Map.of("type", "conversationRelay", "url",
                "wss://relay.example.com/ws"));
        routing.put(field, value);
        Api.as(org).body(Map.of("name", "x", "routing", routing))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details.field", hasItem(expectedField));
    }

    @Test
    void relaySettingsBelongToTheRelayAloneAndItsGreetingHasALimit() {
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "stream", "url",
                "wss://agents.example.com/media", "welcomeGreeting", "Hello")))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("routing"));
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "conversationRelay", "url",
                "wss://relay.example.com/ws", "welcomeGreeting", "x".repeat(AgentRequest.MAX_WELCOME_GREETING + 1))))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("routing.welcomeGreeting"));
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "conversationRelay", "url",
                "wss://relay.example.com/ws", "dtmfDetection", "yes")))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("routing.dtmfDetection"));
    }

    @Test
    void aSipAgentsParametersMustBeHeadersTwilioStampsAndFitItsLimit() {
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com"),
                "parameters", Map.of("TwilioRegion", "us1")))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("parameters.TwilioRegion"));
        // Each value fits the parameters' own limit; together, URL-encoded, they do not fit Twilio's headers.
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com"),
                "parameters", Map.of("a", "é".repeat(100), "b", "é".repeat(100))))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("parameters"));
        // The same parameters are fine for a stream, whose <Parameter>s have no such limit.
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "stream", "url", "wss://a.example.com/m"),
                "parameters", Map.of("a", "é".repeat(100), "b", "é".repeat(100), "TwilioRegion", "us1")))
                .post("/v1/agents")
                .then().statusCode(201);
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com"),
                "parameters", Map.of("a", "é".repeat(100))))
                .post("/v1/agents")
                .then().statusCode(201);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stream | url    | ws://agents.example.com/media         | routing.url",
        "stream | url    | https://agents.example.com/media      | routing.url",
        "stream | url    | wss://agents.example.com/media?x=1    | routing.url",
        "stream | url    | wss:///nohost                         | routing.url",
        "sip    | uri    | agent@sip.example.com                 | routing.uri",
        "sip    | uri    | sip:                                  | routing.uri",
        "sip    | uri    | sip:agent@exa mple.com                | routing.uri",
        "number | number | 4155550100                            | routing.number",
        "number | number | +0155550100                           | routing.number",
        "fax    | number | +14155550100                          | routing.type",
    })
    void rejectsInvalidRouting(String type, String field, String value, String expectedField) {
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", type, field, value)))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details.field", hasItem(expectedField));
    }

    @Test
    void rejectsInvalidFieldsNamingEachOne() {
        var parameters = new HashMap<String, String>();
        parameters.put("callSid", "reserved");
        parameters.put("bad name", "x");
        parameters.put("long", "x".repeat(501));
        Api.as(org).body(Map.of("name", "", "routing", Map.of("type", "stream", "url", "wss://a.example.com/s"),
                "parameters", parameters, "recording", "sometimes", "transferNumber", "555-0100"))
                .post("/v1/agents")
                .then().statusCode(400)
                .body("details.field", hasItem("name"))
                .body("details.field", hasItem("parameters.callSid"))
                .body("details.field", hasItem("parameters.bad name"))
                .body("details.field", hasItem("parameters.long"))
                .body("details.field", hasItem("recording"))
                .body("details.field", hasItem("transferNumber"));
        var tooMany = new HashMap<String, String>();
        for (int i = 0; i < 21; i++) {
            tooMany.put("p" + i, "v");
        }
        Api.as(org).body(Map.of("name", "x", "routing", Map.of("type", "sip", "uri", "sip:a@b.example.com"),
                "parameters", tooMany))
                .post("/v1/agents")
                .then().statusCode(400).body("details.field", hasItem("parameters"));
        Api.as(org).body(Map.of("name", "x")).post("/v1/agents")
                .then().statusCode(400).body("details.field", hasItem("routing.type"));
    }

    @Test
    void patchMergesValidatesAndClears() {
        String id = createStreamAgent();
        Api.as(org).body(Map.of("routing", Map.of("type", "sip", "uri", "sip:bot@sip.example.com"),
                "parameters", Map.of("lang", "fr")))
                .patch("/v1/agents/" + id)
                .then().statusCode(200)
                .body("name", equalTo("Support"))
                .body("routing.type", equalTo("sip"))
                .body("routing.url", equalTo(null))
                .body("parameters", equalTo(Map.of("lang", "fr")))
                .body("transferNumber", equalTo("+14155550100"));

        // An invalid patch changes nothing.
        Api.as(org).body(Map.of("name", "Renamed", "recording", "loud")).patch("/v1/agents/" + id)
                .then().statusCode(400).body("details[0].field", equalTo("recording"));
        Api.as(org).get("/v1/agents/" + id).then().statusCode(200).body("name", equalTo("Support"));

        // null clears an optional field and is refused for a required one.
        Api.as(org).body("{\"transferNumber\": null}").patch("/v1/agents/" + id)
                .then().statusCode(200).body("transferNumber", equalTo(null));
        Api.as(org).body("{\"name\": null}").patch("/v1/agents/" + id)
                .then().statusCode(400).body("details[0].field", equalTo("name"));
        Api.as(org).body("{\"nmae\": \"typo\"}").patch("/v1/agents/" + id)
                .then().statusCode(400).body("details[0].field", equalTo("nmae"));
    }

    @Test
    void listsGetsAndDeletes() {
        String id = createStreamAgent();
        Api.as(org).get("/v1/agents").then().statusCode(200).body("items.id", hasItem(id));
        Api.as(org).delete("/v1/agents/" + id).then().statusCode(204);
        Api.as(org).get("/v1/agents/" + id).then().statusCode(404);
        Api.as(org).delete("/v1/agents/" + id).then().statusCode(404);
    }

    @Test
    void anotherOrganizationCannotSeeOrTouchTheAgent() {
        String id = createStreamAgent();
        var other = Api.newOrganization();
        Api.as(other).get("/v1/agents/" + id).then().statusCode(404);
        Api.as(other).body(Map.of("name", "mine now")).patch("/v1/agents/" + id).then().statusCode(404);
        Api.as(other).delete("/v1/agents/" + id).then().statusCode(404);
        Api.as(other).get("/v1/agents").then().statusCode(200).body("items", hasSize(0))
                .body("items.id", not(hasItem(id)));
        Api.as(org).get("/v1/agents/" + id).then().statusCode(200).body("name", equalTo("Support"));
    }

    private String createStreamAgent() {
        return Api.as(org).body(Map.of("name", "Support",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"),
                "transferNumber", "+14155550100"))
                .post("/v1/agents")
                .then().statusCode(201).extract().path("id");
    }
}
