package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@code from: "auto"}: each target is called from the agent's number in its area code, else the agent's first. */
@QuarkusTest
class CallerIdTest {

    private static final Random RANDOM = new Random();

    @Inject
    TwilioSimulator simulator;

    @Test
    void eachTargetIsCalledFromTheAgentsNumberInItsAreaCodeElseTheFirst() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        String sanFrancisco = c.number(0);
        c.importNumber(0, agentId);
        String newYork = inArea("212");
        simulator.addNumber(c.account().accountSid(), newYork);
        Api.as(c.org()).body(Map.of("number", newYork, "providerId", c.providerId(), "agentId", agentId))
                .post("/v1/phone-numbers").then().statusCode(201);
        // Another number of the account, not the agent's, is never used.
        String unassigned = inArea("303");
        simulator.addNumber(c.account().accountSid(), unassigned);
        Api.as(c.org()).body(Map.of("number", unassigned, "providerId", c.providerId()))
                .post("/v1/phone-numbers").then().statusCode(201);

        String manhattan = inArea("212");
        String oakland = SimAccount.randomNumber();
        String denver = inArea("303");
        String batchId = Api.as(c.org())
                .body(Map.of("agentId", agentId, "targetNumbers", List.of(manhattan, oakland, denver), "from", "auto"))
                .post("/v1/calls").then().statusCode(202).extract().path("batchId");

        var calls = Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200).extract()
                .jsonPath();
        assertThat(calls.getList("items.to")).containsExactly(manhattan, oakland, denver);
        assertThat(calls.getList("items.from")).containsExactly(newYork, sanFrancisco, sanFrancisco);
        Await.until(Duration.ofSeconds(15), () -> creates(c).size() == 3, "the three calls placed");
        assertThat(creates(c)).containsExactly(Map.entry(manhattan, newYork), Map.entry(oakland, sanFrancisco),
                Map.entry(denver, sanFrancisco));
    }

    @Test
    void anAgentWithoutANumberIsA422AndABadFromA400() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, null);
        Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of(SimAccount.randomNumber()),
                "from", "auto")).post("/v1/calls").then().statusCode(422).body("error", equalTo("no_caller_id"));
        Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers", List.of(SimAccount.randomNumber()),
                "from", "automatic")).post("/v1/calls").then().statusCode(400).body("details.field", hasItems("from"));
    }

    @Test
    void anotherOrganizationsNumbersAreNeverChosen() {
        var ours = Connected.create(simulator, 1);
        String agentId = agent(ours);
        ours.importNumber(0, agentId);
        // Another organization has a number in the target's area code, on an agent of its own.
        var theirs = Connected.create(simulator, 1);
        String theirAgent = agent(theirs);
        String theirNumber = inArea("646");
        simulator.addNumber(theirs.account().accountSid(), theirNumber);
        Api.as(theirs.org()).body(Map.of("number", theirNumber, "providerId", theirs.providerId(),
                "agentId", theirAgent)).post("/v1/phone-numbers").then().statusCode(201);

        String batchId = Api.as(ours.org())
                .body(Map.of("agentId", agentId, "targetNumbers", List.of(inArea("646")), "from", "auto"))
                .post("/v1/calls").then().statusCode(202).extract().path("batchId");
        Api.as(ours.org()).get("/v1/calls?batchId=" + batchId).then().statusCode(200)
                .body("items[0].from", equalTo(ours.number(0)));
        // And their agent is not ours to call with.
        Api.as(ours.org()).body(Map.of("agentId", theirAgent, "targetNumbers", List.of(inArea("646")),
                "from", "auto")).post("/v1/calls").then().statusCode(404);
    }

    private static String agent(Connected c) {
        return c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    private static String inArea(String areaCode) {
        return "+1" + areaCode + (2000000 + RANDOM.nextInt(7999999));
    }

    private List<Map.Entry<String, String>> creates(Connected c) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && c.account().accountSid().equals(r.accountSid()) && r.status() == 201)
                .map(r -> Map.entry(r.params().get("To").get(0), r.params().get("From").get(0))).toList();
    }
}
