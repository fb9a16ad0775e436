package io.switchboard.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OutboundMessageTest {

    /** The simulator refuses messages to this number with 21610, as Twilio does for a recipient who sent STOP. */
    private static final String UNSUBSCRIBED = "+15005550004";

    @Inject
    TwilioSimulator simulator;

    @Inject
    WebhookUrls urls;

    @Test
    void aMessageIsStoredQueuedThenSentOnceWithItsSid() {
        var c = connected();
        String to = SimAccount.randomNumber();
        String id = Api.as(c.org()).body(Map.of("to", to, "body", "Your table is ready"))
                .post("/v1/messages")
                .then().statusCode(202)
                .body("to", equalTo(to))
                .body("from", equalTo(c.number(0)))
                .body("body", equalTo("Your table is ready"))
                .body("status", equalTo("queued"))
                .body("encoding", equalTo("GSM-7"))
                .body("segments", equalTo(1))
                .body("sid", nullValue())
                .extract().path("id");

        Await.until(Duration.ofSeconds(10), () -> {
            var m = message(c, id);
            return m.getString("sid") != null && List.of("sent", "delivered").contains(m.getString("status"));
        }, "the message to be sent");
        var sends = sends(c.account().accountSid());
        assertThat(sends).hasSize(1);
        assertThat(sends.get(0).params().get("StatusCallback").get(0)).isEqualTo(urls.messagingStatus(id))
                .endsWith("/twilio/messaging/status?messageId=" + id + "#" + urls.overrides());
        assertThat(simulator.message(message(c, id).getString("sid")).orElseThrow().to()).isEqualTo(to);
    }

    @Test
    void encodingAndSegmentsFollowTwilio() {
        var c = connected();
        expect(c, "a".repeat(160), "GSM-7", 1);
        expect(c, "a".repeat(161), "GSM-7", 2);
        // Extension characters count twice: 80 of them fill one segment, 81 need two.
        expect(c, "€".repeat(80), "GSM-7", 1);
        expect(c, "€".repeat(81), "GSM-7", 2);
        expect(c, "Grüße 😀", "UCS-2", 1);
        expect(c, "ж".repeat(70), "UCS-2", 1);
        expect(c, "ж".repeat(71), "UCS-2", 2);
        // A surrogate pair is never split: 66 units and one emoji do not fit the first 67-unit segment together.
        expect(c, "ж".repeat(66) + "😀" + "ж".repeat(10), "UCS-2", 2);
    }

    @Test
    void twilio21610MarksTheRecipientOptedOutAndLaterSendsAreRefused() {
        var c = connected();
        String id = Api.as(c.org()).body(Map.of("to", UNSUBSCRIBED, "body", "hello"))
                .post("/v1/messages").then().statusCode(202).extract().path("id");

        Await.until(Duration.ofSeconds(10), () -> "failed".equals(message(c, id).getString("status")),
                "the message to fail");
        assertThat(message(c, id).getInt("errorCode")).isEqualTo(21610);
        Api.as(c.org()).get("/v1/opt-outs").then().statusCode(200).body("items.number", hasItems(UNSUBSCRIBED));
        Api.as(c.org()).body(Map.of("to", UNSUBSCRIBED, "body", "hello again"))
                .post("/v1/messages")
                .then().statusCode(422).body("error", equalTo("recipient_opted_out"));
        assertThat(sends(c.account().accountSid())).hasSize(1);
    }

    @Test
    void invalidOrUnsendableMessagesAreRejected() {
        var c = connected();
        Api.as(c.org()).body(Map.of("to", "12345", "body", ""))
                .post("/v1/messages")
                .then().statusCode(400).body("details.field", hasItems("to", "body"));
        Api.as(c.org()).body(Map.of("to", "+14155550123", "body", "hi", "from", "+14155550999"))
                .post("/v1/messages")
                .then().statusCode(422).body("error", equalTo("from_not_imported"));
        var bare = Api.newOrganization();
        Api.as(bare).body(Map.of("to", "+14155550123", "body", "hi"))
                .post("/v1/messages")
                .then().statusCode(422).body("error", equalTo("no_sender"));
    }

    @Test
    void aSendWhoseAnswerIsLostIsNeverRepeatedAndItsCallbackNamesIt() {
        var c = connected();
        var before = simulator.faults();
        String id;
        // The answer comes after the client's 2 s timeout: Twilio took the message, the service cannot know it.
        simulator.setFaults(before.withCreateResponseDelay(Duration.ofSeconds(3)));
        try {
            id = Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", "lost answer"))
                    .post("/v1/messages").then().statusCode(202).extract().path("id");
            Await.until(Duration.ofSeconds(15), () -> message(c, id).getString("sid") != null,
                    "the message's own status callback to name its sid");
        } finally {
            simulator.setFaults(before);
        }
        assertThat(sends(c.account().accountSid())).hasSize(1);
        assertThat(simulator.messages().stream().filter(m -> m.sid().equals(message(c, id).getString("sid"))))
                .hasSize(1);
        // Well past the grace period of the test profile: still one send.
        Await.until(Duration.ofSeconds(10), () -> List.of("sent", "delivered")
                .contains(message(c, id).getString("status")), "the message to be sent");
        assertThat(sends(c.account().accountSid())).hasSize(1);
    }

    @Test
    void sendsFromOneNumberArePacedBySegments() {
        var c = connected();
        // Two segments, then one: at one segment per second the second send waits about two seconds.
        Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", "x".repeat(200)))
                .post("/v1/messages").then().statusCode(202);
        Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", "short"))
                .post("/v1/messages").then().statusCode(202);
        Await.until(Duration.ofSeconds(15), () -> sends(c.account().accountSid()).size() == 2, "both sends");
        var sends = sends(c.account().accountSid());
        assertThat(Duration.between(sends.get(0).at(), sends.get(1).at())).isGreaterThan(Duration.ofMillis(1_800));
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected connected() {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        return c;
    }

    private static void expect(Connected c, String body, String encoding, int segments) {
        // A recipient per message keeps the sends of this test apart.
        Api.as(c.org()).body(Map.of("to", SimAccount.randomNumber(), "body", body))
                .post("/v1/messages")
                .then().statusCode(202)
                .body("encoding", equalTo(encoding))
                .body("segments", equalTo(segments));
    }

    private static JsonPath message(Connected c, String id) {
        return Api.as(c.org()).get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath();
    }

    private List<Recorded.Request> sends(String accountSid) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Messages.json")
                        && accountSid.equals(r.accountSid()))
                .toList();
    }
}
