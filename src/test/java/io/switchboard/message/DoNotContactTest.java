package io.switchboard.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The organization's do-not-contact list: its API, STOP and START replies, and the check just before a send. */
@QuarkusTest
class DoNotContactTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Test
    void numbersAreAddedListedAndRemovedForTheOrganizationOnly() {
        var c = Connected.create(simulator, 0);
        String a = "+14155550101";
        String b = "+14155550102";
        Api.as(c.org()).body(Map.of("number", b, "reason", "asked by phone"))
                .post("/v1/do-not-contact")
                .then().statusCode(201)
                .body("number", equalTo(b))
                .body("source", equalTo("api"))
                .body("reason", equalTo("asked by phone"))
                .body("createdAt", notNullValue());
        // Adding it again keeps it, and its reason when none is given.
        Api.as(c.org()).body(Map.of("number", b)).post("/v1/do-not-contact")
                .then().statusCode(200).body("reason", equalTo("asked by phone"));
        Api.as(c.org()).body(Map.of("number", a)).post("/v1/do-not-contact")
                .then().statusCode(201).body("reason", nullValue());

        var first = Api.as(c.org()).get("/v1/do-not-contact?limit=1")
                .then().statusCode(200).body("items.number", equalTo(List.of(a)))
                .body("nextCursor", notNullValue()).extract().jsonPath();
        Api.as(c.org()).get("/v1/do-not-contact?limit=1&cursor=" + first.getString("nextCursor"))
                .then().statusCode(200).body("items.number", equalTo(List.of(b))).body("nextCursor", nullValue());
        // The opt-outs are the same list.
        Api.as(c.org()).get("/v1/opt-outs").then().statusCode(200).body("items.number", equalTo(List.of(a, b)));

        var stranger = Api.newOrganization();
        Api.as(stranger).get("/v1/do-not-contact").then().statusCode(200).body("items", hasSize(0));
        Api.as(stranger).delete("/v1/do-not-contact/" + a).then().statusCode(404);

        Api.as(c.org()).delete("/v1/do-not-contact/" + a).then().statusCode(204);
        Api.as(c.org()).delete("/v1/do-not-contact/" + a).then().statusCode(404).body("error", equalTo("not_found"));
        Api.as(c.org()).get("/v1/do-not-contact").then().statusCode(200).body("items.number", equalTo(List.of(b)));
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        var c = Connected.create(simulator, 0);
        Api.as(c.org()).body(Map.of("number", "4155550101", "reason", "x".repeat(201)))
                .post("/v1/do-not-contact")
                .then().statusCode(400).body("details.field", hasItems("number", "reason"));
        Api.as(c.org()).body(Map.of("reason", "no number")).post("/v1/do-not-contact")
                .then().statusCode(400).body("details.field", hasItems("number"));
        Api.as(c.org()).body(Map.of("number", "+14155550101", "why", "misspelt")).post("/v1/do-not-contact")
                .then().statusCode(400);
        Api.as(c.org()).delete("/v1/do-not-contact/12345")
                .then().statusCode(400).body("details.field", hasItems("number"));
        Api.as(c.org()).get("/v1/do-not-contact?cursor=nope")
                .then().statusCode(400).body("details.field", hasItems("cursor"));
        Api.as(c.org()).get("/v1/do-not-contact?limit=0")
                .then().statusCode(400).body("details.field", hasItems("limit"));
    }

    @Test
    void stopListsANumberAndStartLiftsOnlyWhatStopListed() {
        var c = imported(Connected.create(simulator, 1));
        String replied = SimAccount.randomNumber();
        sms(c, replied, "STOP");
        assertThat(entry(c, replied)).containsEntry("source", "stop");
        sms(c, replied, "START");
        assertThat(entry(c, replied)).isNull();

        // What the organization listed stays listed whatever the number replies, even after a STOP of its own.
        String listed = SimAccount.randomNumber();
        Api.as(c.org()).body(Map.of("number", listed, "reason", "legal")).post("/v1/do-not-contact")
                .then().statusCode(201);
        sms(c, listed, "STOP");
        sms(c, listed, "START");
        assertThat(entry(c, listed)).containsEntry("source", "api").containsEntry("reason", "legal");

        // A STOP entry the organization adds as its own is no longer lifted by START.
        sms(c, replied, "STOP");
        Api.as(c.org()).body(Map.of("number", replied)).post("/v1/do-not-contact").then().statusCode(200)
                .body("source", equalTo("api"));
        sms(c, replied, "START");
        assertThat(entry(c, replied)).containsEntry("source", "api");
    }

    /** The message was accepted before the recipient replied STOP, and is still waiting for its sender's pace. */
    @Test
    void aQueuedMessageToANumberThatRepliedStopMeanwhileIsNotSent() {
        var c = imported(Connected.create(simulator, 1));
        String recipient = SimAccount.randomNumber();
        // Three segments at one per second hold the sender for three seconds.
        Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", "a".repeat(459)))
                .post("/v1/messages").then().statusCode(202).body("segments", equalTo(3));
        String id = Api.as(c.org()).body(Map.of("to", recipient, "body", "Your appointment is tomorrow"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");
        sms(c, recipient, "STOP");

        Await.until(Duration.ofSeconds(10), () -> "canceled".equals(Api.as(c.org()).get("/v1/messages/" + id)
                .then().statusCode(200).extract().path("status")), "the queued message to be withheld");
        Api.as(c.org()).get("/v1/messages/" + id).then().statusCode(200)
                .body("skipReason", equalTo("do_not_contact")).body("sid", nullValue());
        assertThat(simulator.requests()).noneMatch(r -> r.method().equals("POST")
                && r.route().endsWith("/Messages.json")
                && r.params().getOrDefault("To", List.of()).contains(recipient));
        // Accepting a new one is refused at once.
        Api.as(c.org()).body(Map.of("to", recipient, "body", "hello")).post("/v1/messages")
                .then().statusCode(422).body("error", equalTo("recipient_opted_out"));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected imported(Connected c) {
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the number to be routed");
        return c;
    }

    private void sms(Connected c, String from, String body) {
        simulator.deliverInboundSms(c.number(0), from, body).await().atMost(Duration.ofSeconds(10));
    }

    private static Map<String, Object> entry(Connected c, String number) {
        List<Map<String, Object>> items = Api.as(c.org()).get("/v1/do-not-contact?limit=500").then().statusCode(200)
                .extract().jsonPath().getList("items");
        return items.stream().filter(i -> number.equals(i.get("number"))).findFirst().orElse(null);
    }
}
