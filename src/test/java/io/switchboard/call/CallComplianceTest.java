package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** What is checked as each call is claimed, after its batch was accepted. */
@QuarkusTest
class CallComplianceTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Test
    void aTargetListedAfterTheBatchWasAcceptedIsNotCalled() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the number to be routed");
        // One call every 4 s: the second and third wait while one replies STOP to a text and one is listed by the
        // API. At one a second a loaded machine took longer than that to deliver the STOP.
        Api.as(c.org()).body(Map.of("callsPerSecond", 0.25)).patch("/v1/providers/" + c.providerId()).then()
                .statusCode(200);
        var targets = targets(3);
        String batchId = create(c, agentId, targets, null);
        simulator.deliverInboundSms(c.number(0), targets.get(1), "STOP").await().atMost(Duration.ofSeconds(10));
        Api.as(c.org()).body(Map.of("number", targets.get(2))).post("/v1/do-not-contact").then().statusCode(201);

        Await.until(Duration.ofSeconds(30), () -> field(c, batchId, "status").stream().noneMatch("queued"::equals),
                "every call placed or withheld");
        assertThat(field(c, batchId, "skipReason")).containsExactly(null, "do_not_contact", "do_not_contact");
        assertThat(field(c, batchId, "status").subList(1, 3)).containsExactly("canceled", "canceled");
        assertThat(calledNumbers(c)).containsExactly(targets.get(0));
        Api.as(c.org()).get("/v1/calls/batches/" + batchId).then().statusCode(200)
                .body("status", equalTo("finished")).body("counts.canceled", equalTo(2))
                .body("skipped", equalTo(Map.of("do_not_contact", 2)));
    }

    @Test
    void aCallWhoseCallerIdNumberWasDeletedIsCanceledNotPlaced() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        String numberId = c.importNumber(0, agentId);
        String batchId = create(c, agentId, targets(3), null);
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/pause").then().statusCode(200);
        var unassign = new HashMap<String, Object>();
        unassign.put("agentId", null);
        Api.as(c.org()).body(unassign).patch("/v1/phone-numbers/" + numberId).then().statusCode(200);
        Api.as(c.org()).delete("/v1/phone-numbers/" + numberId).then().statusCode(204);
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/resume").then().statusCode(200);

        Await.until(Duration.ofSeconds(10), () -> field(c, batchId, "status").stream().noneMatch("queued"::equals),
                "every call placed or withheld");
        long withheld = field(c, batchId, "skipReason").stream().filter("caller_id_deleted"::equals).count();
        assertThat(withheld).isGreaterThanOrEqualTo(1);
        // Only a call claimed before the pause went out.
        assertThat(calledNumbers(c)).hasSize(3 - (int) withheld);
    }

    @Test
    void aCallWhoseAgentWasDeletedIsCanceledNotPlaced() {
        var c = Connected.create(simulator, 1);
        String agentId = agent(c);
        c.importNumber(0, null);
        String batchId = create(c, agentId, targets(3), c.number(0));
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/pause").then().statusCode(200);
        Api.as(c.org()).delete("/v1/agents/" + agentId).then().statusCode(204);
        Api.as(c.org()).post("/v1/calls/batches/" + batchId + "/resume").then().statusCode(200);

        Await.until(Duration.ofSeconds(10), () -> field(c, batchId, "status").stream().noneMatch("queued"::equals),
                "every call placed or withheld");
        long withheld = field(c, batchId, "skipReason").stream().filter("agent_deleted"::equals).count();
        assertThat(withheld).isGreaterThanOrEqualTo(1);
        assertThat(calledNumbers(c)).hasSize(3 - (int) withheld);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static String agent(Connected c) {
        return c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    private static List<String> targets(int n) {
        return IntStream.range(0, n).mapToObj(i -> SimAccount.randomNumber()).toList();
    }

    private static String create(Connected c, String agentId, List<String> targets, String from) {
        var body = new HashMap<String, Object>(Map.of("agentId", agentId, "targetNumbers", targets));
        if (from != null) {
            body.put("from", from);
        }
        return Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(202).extract().path("batchId");
    }

    private static List<String> field(Connected c, String batchId, String name) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200)
                .extract().jsonPath().getList("items." + name);
    }

    private List<String> calledNumbers(Connected c) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && c.account().accountSid().equals(r.accountSid()))
                .map(r -> r.params().get("To").get(0)).toList();
    }
}
