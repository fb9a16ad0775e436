package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events come from the changes themselves, whatever path made them: a number imported, an outbound call placed by the
 * dispatcher and moved on by Twilio's status callbacks, an inbound SMS.
 */
@QuarkusTest
class EventSourcesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Vertx vertx;

    Receiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new Receiver(vertx);
    }

    @AfterEach
    void stopReceiver() throws Exception {
        receiver.close();
    }

    @Test
    void anImportedNumberAPlacedCallAndAnInboundSmsAreDeliveredInOrder() {
        var c = Connected.create(simulator, 1);
        EventDeliveryTest.subscribe(c.org(), receiver.url(), List.of("*"));
        String agentId = c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        String numberId = c.importNumber(0, agentId);
        Await.until(WAIT, () -> routing.find(c.number(0)).isPresent(), "the number to be routed");

        String batchId = Api.as(c.org()).body(Map.of("agentId", agentId, "targetNumbers",
                List.of(SimAccount.randomNumber()))).post("/v1/calls").then().statusCode(202).extract().path("batchId");
        Await.until(WAIT, () -> types("call").contains("call.completed"), "the call's completion to be delivered");
        var call = receiver.delivered().stream().filter(r -> "call".equals(r.json().getString("resourceType")))
                .map(Receiver.Received::json).toList();
        assertThat(call.get(0).getString("type")).isEqualTo("call.initiated");
        assertThat(call.get(call.size() - 1).getString("type")).isEqualTo("call.completed");
        assertThat(call.get(call.size() - 1).getJsonObject("data").getString("status")).isEqualTo("completed");
        assertThat(call.get(0).getJsonObject("data").getString("batchId")).isEqualTo(batchId);
        assertThat(call.stream().map(e -> e.getInteger("sequence")).toList())
                .isEqualTo(java.util.stream.IntStream.rangeClosed(1, call.size()).boxed().toList());
        assertThat(types("call")).containsSubsequence("call.initiated", "call.ringing", "call.answered",
                "call.completed");

        simulator.deliverInboundSms(c.number(0), SimAccount.randomNumber(), "hello").await().atMost(WAIT);
        Await.until(WAIT, () -> types("message").contains("message.received"), "the inbound SMS to be delivered");

        var number = receiver.delivered().stream().map(Receiver.Received::json)
                .filter(e -> "number.imported".equals(e.getString("type"))).findFirst().orElseThrow();
        assertThat(number.getString("resourceId")).isEqualTo(numberId);
        // No phone number travels in an event.
        receiver.delivered().forEach(r -> assertThat(r.body()).doesNotContain(c.number(0)));
    }

    private List<String> types(String resourceType) {
        return receiver.delivered().stream().map(Receiver.Received::json)
                .filter(e -> resourceType.equals(e.getString("resourceType"))).map(e -> e.getString("type")).toList();
    }
}
