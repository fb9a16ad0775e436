package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;

/** Targets with their own stream parameters, and each target called once per batch. */
@QuarkusTest
class CallTargetsTest {

    @Inject
    TwilioSimulator simulator;

    record Setup(Connected c, String agentId) {
    }

    @Test
    void eachTargetsParametersReachTheAgentOverTheBatchsAndTheAgentsOwn() throws Exception {
        var s = setup();
        String ada = SimAccount.randomNumber();
        String bob = SimAccount.randomNumber();
        var body = Map.of("agentId", s.agentId(),
                "parameters", Map.of("campaign", "spring", "tone", "brisk"),
                "targets", List.of(Map.of("to", ada, "parameters", Map.of("name", "Ada <&> Lovelace", "tone", "calm")),
                        Map.of("to", bob)));
        var created = Api.as(s.c().org()).body(body).post("/v1/calls")
                .then().statusCode(202)
                .body("calls.to", equalTo(List.of(ada, bob)))
                .body("duplicatesSkipped", equalTo(0))
                .extract().jsonPath();
        String batchId = created.getString("batchId");
        Await.until(Duration.ofSeconds(20), () -> sids(s, batchId).stream().allMatch(sid -> sid != null)
                && simulator.twiml().size() > 0 && twimlOf(sids(s, batchId).get(1)) != null,
                "both calls answered by the agent's TwiML");

        var sids = sids(s, batchId);
        // The service's four, then the agent's, the batch's and the target's merged, by name; the target's win.
        assertThat(streamParameters(twimlOf(sids.get(0)))).containsExactly(
                Map.entry("callSid", sids.get(0)), Map.entry("from", s.c().number(0)), Map.entry("to", ada),
                Map.entry("agentId", s.agentId()), Map.entry("campaign", "spring"), Map.entry("greeting", "hello"),
                Map.entry("name", "Ada <&> Lovelace"), Map.entry("tone", "calm"));
        assertThat(streamParameters(twimlOf(sids.get(1)))).containsExactly(
                Map.entry("callSid", sids.get(1)), Map.entry("from", s.c().number(0)), Map.entry("to", bob),
                Map.entry("agentId", s.agentId()), Map.entry("campaign", "spring"), Map.entry("greeting", "hello"),
                Map.entry("tone", "brisk"));
    }

    @Test
    void aTargetGivenTwiceIsCalledOnceAndTheAnswerSaysSo() {
        var s = setup();
        String a = SimAccount.randomNumber();
        String b = SimAccount.randomNumber();
        String batchId = Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of(a, b, a, a)))
                .post("/v1/calls")
                .then().statusCode(202)
                .body("calls", hasSize(2))
                .body("calls.to", equalTo(List.of(a, b)))
                .body("duplicatesSkipped", equalTo(2))
                .extract().path("batchId");
        Api.as(s.c().org()).get("/v1/calls/batches/" + batchId).then().statusCode(200).body("size", equalTo(2));
        Await.until(Duration.ofSeconds(20), () -> sids(s, batchId).stream().allMatch(sid -> sid != null),
                "both calls placed");
        assertThat(simulator.calls()).filteredOn(c -> c.accountSid().equals(s.c().account().accountSid()))
                .extracting(c -> c.to()).containsExactlyInAnyOrder(a, b);

        // With parameters, the first occurrence is the one called.
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targets", List.of(
                Map.of("to", a, "parameters", Map.of("name", "first")),
                Map.of("to", a, "parameters", Map.of("name", "second")))))
                .post("/v1/calls")
                .then().statusCode(202).body("calls", hasSize(1)).body("duplicatesSkipped", equalTo(1));
    }

    @Test
    void badTargetsAndParametersAreRejectedNamingEachField() {
        var s = setup();
        String a = SimAccount.randomNumber();
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of(a),
                "targets", List.of(Map.of("to", a))))
                .post("/v1/calls")
                .then().statusCode(400).body("details.field", hasItems("targets"));
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targets", List.of()))
                .post("/v1/calls")
                .then().statusCode(400).body("details.field", hasItems("targets"));
        var targets = new ArrayList<Object>();
        targets.add(Map.of("to", a, "parameters", Map.of("callSid", "mine", "9lives", "x")));
        targets.add(Map.of("to", "4155550123"));
        targets.add(null);
        var body = new HashMap<String, Object>(Map.of("agentId", s.agentId(), "targets", targets,
                "parameters", Map.of("from", "me", "ok", "x".repeat(501))));
        Api.as(s.c().org()).body(body)
                .post("/v1/calls")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("details.field", hasItems("targets[0].parameters.callSid", "targets[0].parameters.9lives",
                        "targets[1].to", "targets[2]", "parameters.from", "parameters.ok"));
        // A misspelt field of a target is named, not dropped.
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targets", List.of(Map.of("number", a))))
                .post("/v1/calls")
                .then().statusCode(400);
        // The plain form still works and says no duplicates were skipped.
        Api.as(s.c().org()).body(Map.of("agentId", s.agentId(), "targetNumbers", List.of(a)))
                .post("/v1/calls")
                .then().statusCode(202).body("duplicatesSkipped", equalTo(0));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Setup setup() {
        var c = Connected.create(simulator, 2);
        String agentId = c.createAgent(Map.of("name", "Caller", "parameters", Map.of("greeting", "hello",
                "tone", "neutral"), "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        return new Setup(c, agentId);
    }

    private String twimlOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).map(t -> t.body()).findFirst()
                .orElse(null);
    }

    private static List<Map.Entry<String, String>> streamParameters(String twiml) throws Exception {
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(twiml.getBytes(StandardCharsets.UTF_8)));
        var nodes = doc.getElementsByTagName("Parameter");
        var result = new ArrayList<Map.Entry<String, String>>();
        for (int i = 0; i < nodes.getLength(); i++) {
            var e = (Element) nodes.item(i);
            result.add(Map.entry(e.getAttribute("name"), e.getAttribute("value")));
        }
        return result;
    }

    private static List<String> sids(Setup s, String batchId) {
        return Api.as(s.c().org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items.sid");
    }
}
