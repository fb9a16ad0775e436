package io.switchboard.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code POST /v1/actions}: the request's shape, each action, and what an action could not do. */
@QuarkusTest
class ActionsTest {

    private static final String CALLER = "+14155550188";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    private Timing configured;

    @BeforeEach
    void longCalls() {
        configured = simulator.timing();
        simulator.setTiming(new Timing(configured.step(), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.setTiming(configured);
    }

    @Test
    void aMalformedRequestIsA400NamingTheField() {
        var org = Api.newOrganization();
        Api.as(org).body("[]").post("/v1/actions").then().statusCode(400);
        Api.as(org).body(Map.of()).post("/v1/actions").then().statusCode(400)
                .body("details[0].field", equalTo("action"));
        Api.as(org).body(Map.of("action", 5)).post("/v1/actions").then().statusCode(400)
                .body("details[0].field", equalTo("action"));
        Api.as(org).body(Map.of("action", "sendSMS", "arguments", List.of())).post("/v1/actions").then()
                .statusCode(400).body("details[0].field", equalTo("arguments"));
        Api.as(org).body(Map.of("action", "sendSMS", "arguments", "to=+1")).post("/v1/actions").then()
                .statusCode(400).body("details[0].field", equalTo("arguments"));
        Api.as(org).body(Map.of("action", "sendSMS", "args", Map.of())).post("/v1/actions").then()
                .statusCode(400);
        RestAssured.given().contentType("application/json").body(Map.of("action", "sendSMS")).post("/v1/actions")
                .then().statusCode(401);
    }

    @Test
    void anUnknownActionIsAnErrorOfTheAnswer() {
        var org = Api.newOrganization();
        Api.as(org).body(Map.of("action", "orderPizza", "arguments", Map.of())).post("/v1/actions").then()
                .statusCode(200).body("action", equalTo("orderPizza")).body("error.code", equalTo("unknown_action"))
                .body("error.message", startsWith("no action is named orderPizza"))
                .body("$", not(hasKey("result")));
    }

    @Test
    void sendSmsTextsThroughTheMessagePathAndNamesABadArgument() {
        var c = connected();
        String to = SimAccount.randomNumber();
        Api.as(c.org()).body(action("sendSMS", Map.of("to", to, "body", "hello"))).post("/v1/actions").then()
                .statusCode(200).body("action", equalTo("sendSMS")).body("result.to", equalTo(to))
                .body("result.from", equalTo(c.number(0))).body("result.status", equalTo("queued"))
                .body("$", not(hasKey("error")));
        Await.until(Duration.ofSeconds(10), () -> simulator.messages().stream().anyMatch(m -> m.to().equals(to)),
                "the text to be sent");

        error(c, "sendSMS", Map.of("body", "hello"), "invalid_arguments", "to: is required");
        error(c, "sendSMS", Map.of("to", to, "body", 5), "invalid_arguments", "body: must be a string");
        error(c, "sendSMS", Map.of("to", "555", "body", "hi"), "invalid_arguments", "to: must be an E.164");
        error(c, "sendSMS", Map.of("to", to, "body", "hi", "media", "x"), "invalid_arguments", "media: ");
        error(c, "sendSMS", Map.of("to", to, "body", "hi", "from", SimAccount.randomNumber()), "from_not_imported",
                "from is not");

        Api.as(c.org()).body(Map.of("number", to)).post("/v1/do-not-contact").then().statusCode(201);
        error(c, "sendSMS", Map.of("to", to, "body", "again"), "recipient_opted_out", "the recipient");
        assertThat(simulator.messages().stream().filter(m -> m.to().equals(to)).count()).isEqualTo(1);
    }

    @Test
    void makeCallPlacesOneCallThroughTheOutboundPath() {
        var c = connected();
        String to = SimAccount.randomNumber();
        var result = Api.as(c.org()).body(action("makeCall", Map.of("to", to))).post("/v1/actions").then()
                .statusCode(200).body("result.callId", notNullValue()).body("result.batchId", notNullValue())
                .body("result.to", equalTo(to)).body("result.status", equalTo("queued"))
                .extract().jsonPath();
        String callId = result.getString("result.callId");
        Await.until(Duration.ofSeconds(15), () -> Api.as(c.org()).get("/v1/calls/" + callId).then().extract()
                .path("sid") != null, "the call to be placed");
        String sid = Api.as(c.org()).get("/v1/calls/" + callId).then().extract().path("sid");
        assertThat(simulator.calls()).filteredOn(call -> call.to().equals(to)).hasSize(1)
                .allSatisfy(call -> assertThat(call.from()).isEqualTo(c.number(0)));

        // The agent can follow it by its sid, and end it.
        Api.as(c.org()).body(action("getCallStatus", Map.of("callSid", sid))).post("/v1/actions").then()
                .statusCode(200).body("result.id", equalTo(callId)).body("result.sid", equalTo(sid))
                .body("result.direction", equalTo("outbound"));
        Await.until(Duration.ofSeconds(10), () -> "in-progress".equals(simulator.call(sid).orElseThrow().status()),
                "the call to be answered");
        Api.as(c.org()).body(action("hangupCall", Map.of("callSid", sid))).post("/v1/actions").then()
                .statusCode(200).body("result.sid", equalTo(sid)).body("result.status", equalTo("completed"));
        assertThat(simulator.callFinished(sid).toCompletableFuture().join().status()).isEqualTo("completed");
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(Api.as(c.org()).get("/v1/calls/" + callId)
                .then().extract().path("status")), "the call row to complete");
        error(c, "hangupCall", Map.of("callSid", sid), "call_ended", "the call has ended");
        assertThat(simulator.calls()).filteredOn(call -> call.to().equals(to)).hasSize(1);
    }

    @Test
    void makeCallNeedsAnAgentWhenTheOrganizationHasSeveral() {
        var c = connected();
        c.createAgent(Map.of("name", "Second", "routing", Map.of("type", "stream", "url", "wss://b.example.com/m")));
        error(c, "makeCall", Map.of("to", SimAccount.randomNumber()), "invalid_arguments",
                "agentId: is required: the organization has more than one agent");
        error(c, "makeCall", Map.of("to", SimAccount.randomNumber(), "agentId", "nope"), "invalid_arguments",
                "agentId: is not an agent id");
        error(c, "makeCall", Map.of("to", SimAccount.randomNumber(), "agentId", java.util.UUID.randomUUID()
                .toString()), "not_found", "agent not found");
        var empty = Api.newOrganization();
        Api.as(empty).body(action("makeCall", Map.of("to", SimAccount.randomNumber()))).post("/v1/actions").then()
                .statusCode(200).body("error.code", equalTo("invalid_arguments"))
                .body("error.message", equalTo("agentId: is required: the organization has no agent"));
    }

    @Test
    void callsAreAddressedBySidWithinTheOrganizationOnly() {
        var c = connected();
        var answer = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10));
        String sid = answer.sid();
        Await.until(Duration.ofSeconds(10), () -> !Api.as(c.org()).get("/v1/calls?sid=" + sid).then().extract()
                .jsonPath().getList("items").isEmpty(), "the call row");

        var other = connected();
        error(other, "getCallStatus", Map.of("callSid", sid), "not_found", "no call of this organization");
        error(other, "hangupCall", Map.of("callSid", sid), "not_found", "no call of this organization");
        error(other, "hangupCall", Map.of(), "invalid_arguments", "callSid: is required");
        error(other, "hangupCall", Map.of("callSid", List.of(sid)), "invalid_arguments", "callSid: must be a string");
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");

        Api.as(c.org()).body(action("getCallStatus", Map.of("callSid", sid))).post("/v1/actions").then()
                .statusCode(200).body("result.sid", equalTo(sid)).body("result.direction", equalTo("inbound"))
                .body("result.from", equalTo(CALLER));
        Api.as(c.org()).body(action("hangupCall", Map.of("callSid", sid))).post("/v1/actions").then()
                .statusCode(200).body("result.status", equalTo("completed"));
        simulator.callFinished(sid).toCompletableFuture().join();
    }

    @Test
    void twilioRefusingIsAnErrorOfTheAnswer() {
        var c = connected();
        var answer = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10));
        String sid = answer.sid();
        Await.until(Duration.ofSeconds(10), () -> !Api.as(c.org()).get("/v1/calls?sid=" + sid).then().extract()
                .jsonPath().getList("items").isEmpty(), "the call row");
        simulator.failRoute("POST", "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json", 400, 21218, 1);
        error(c, "hangupCall", Map.of("callSid", sid), "twilio_rejected", "Twilio refused the request");
        Api.as(c.org()).body(action("hangupCall", Map.of("callSid", sid))).post("/v1/actions").then()
                .statusCode(200).body("result.status", equalTo("completed"));
        simulator.callFinished(sid).toCompletableFuture().join();
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected connected() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0))
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "the number to be routed");
        return c;
    }

    private static Map<String, Object> action(String name, Map<String, ?> arguments) {
        var body = new HashMap<String, Object>();
        body.put("action", name);
        body.put("arguments", arguments);
        return body;
    }

    private static void error(Connected c, String name, Map<String, ?> arguments, String code, String message) {
        Api.as(c.org()).body(action(name, arguments)).post("/v1/actions").then().statusCode(200)
                .body("action", equalTo(name)).body("error.code", equalTo(code))
                .body("error.message", startsWith(message)).body("$", not(hasKey("result")));
    }
}
