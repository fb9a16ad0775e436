package io.switchboard.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.InboundDelivery;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class MessageCallbackTest {

    private static final String EMPTY = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>";
    private static final String HELP = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message>"
            + SmsReplies.HELP_TEXT + "</Message></Response>";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Pool pool;

    @Test
    void anInboundSmsIsStoredBeforeItIsAnswered() {
        var c = imported(Connected.create(simulator, 1));
        String from = SimAccount.randomNumber();
        var answer = sms(c, from, "Hello there");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.body()).isEqualTo(EMPTY);

        String id = messageId(answer.sid());
        var message = Api.as(c.org()).get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(message.getString("from")).isEqualTo(from);
        assertThat(message.getString("to")).isEqualTo(c.number(0));
        assertThat(message.getString("body")).isEqualTo("Hello there");
        assertThat(message.getString("status")).isEqualTo("received");
        assertThat(message.getString("encoding")).isEqualTo("GSM-7");
        assertThat(message.getInt("segments")).isEqualTo(1);
        assertThat(message.getString("sid")).isEqualTo(answer.sid());
        var events = Api.as(c.org()).get("/v1/messages/" + id + "/events").then().statusCode(200).extract()
                .jsonPath();
        assertThat(events.getList("items.type")).containsExactly("sms-inbound");
        assertThat(events.getList("items[0].params.Body")).containsExactly("Hello there");

        var stranger = Api.newOrganization();
        Api.as(stranger).get("/v1/messages/" + id).then().statusCode(404);
        Api.as(stranger).get("/v1/messages/" + id + "/events").then().statusCode(404);
    }

    @Test
    void stopAndStartManageTheOptOutAndOnlyHelpIsAnswered() {
        var c = imported(Connected.create(simulator, 1));
        String from = SimAccount.randomNumber();

        assertThat(sms(c, from, "  stop ").body()).isEqualTo(EMPTY);
        assertThat(optOuts(c)).contains(from);
        assertThat(optOuts(Connected.create(simulator, 0))).doesNotContain(from);

        assertThat(sms(c, from, "Start").body()).isEqualTo(EMPTY);
        assertThat(optOuts(c)).doesNotContain(from);

        assertThat(sms(c, from, "please STOP").body()).isEqualTo(EMPTY);
        assertThat(optOuts(c)).doesNotContain(from);

        assertThat(sms(c, from, "help").body()).isEqualTo(HELP);
        assertThat(sms(c, from, "INFO").body()).isEqualTo(HELP);
        assertThat(sms(c, from, "UNSUBSCRIBE").body()).isEqualTo(EMPTY);
        assertThat(optOuts(c)).contains(from);

        // The organization lets the number be messaged again.
        var stranger = Api.newOrganization();
        Api.as(stranger).delete("/v1/opt-outs/" + from).then().statusCode(404);
        Api.as(c.org()).delete("/v1/opt-outs/" + from).then().statusCode(204);
        Api.as(c.org()).delete("/v1/opt-outs/" + from).then().statusCode(404);
        Api.as(c.org()).delete("/v1/opt-outs/12345").then().statusCode(400);
        assertThat(optOuts(c)).doesNotContain(from);
    }

    @Test
    void outsideUs1HelpIsAnsweredOverRest() {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1).alsoIn(simulator, SimRegion.IE1);
        var provider = new HashMap<>(account.providerRequest("Dublin"));
        provider.put("region", "ie1");
        String providerId = Api.as(org).body(provider).post("/v1/providers").then().statusCode(201).extract()
                .path("id");
        var c = imported(new Connected(org, account, providerId));
        String from = SimAccount.randomNumber();

        assertThat(sms(c, from, "HELP").body()).isEqualTo(EMPTY);
        Await.until(Duration.ofSeconds(5), () -> simulator.messages().stream()
                .anyMatch(m -> m.to().equals(from) && m.from().equals(c.number(0))
                        && SmsReplies.HELP_TEXT.equals(m.body())),
                "the help reply over REST");
        assertThat(simulator.messages().stream().filter(m -> m.to().equals(from))).hasSize(1);
    }

    @Test
    void anSmsToANumberNotImportedIsKeptAsAnEvent() {
        var c = Connected.create(simulator, 1);
        String sid = "SM" + SimAccount.hex(16);
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid", sid,
                "From", SimAccount.randomNumber(), "To", SimAccount.randomNumber(), "Body", "STOP");
        var answer = SignedWebhook.post("/twilio/messaging/inbound", params, c.account().authToken());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.asString()).isEqualTo(EMPTY);
        assertThat(count("select count(*) from communication_event where sid = $1 and organization_id is null",
                sid)).isEqualTo(1);
        assertThat(count("select count(*) from message where sid = $1", sid)).isZero();
    }

    @Test
    void messageStatusOnlyMovesForwardAndEachCallbackIsStoredOnce() {
        var c = Connected.create(simulator, 1);
        String sid = "SM" + SimAccount.hex(16);
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into message (id, organization_id, sid, direction, from_number, to_number, body, status,
                                     encoding, segments, created_at, updated_at)
                values ($1, $2, $3, 'outbound', $4, $5, 'hi', 'queued', 'GSM-7', 1, now(), now())""")
                .execute(Tuple.of(id, UUID.fromString(c.org().id()), sid, c.number(0), SimAccount.randomNumber()))
                .await().indefinitely();

        status(c, sid, "sent", null, "t1");
        status(c, sid, "sent", null, "t1");
        assertThat(messageStatus(c, id)).isEqualTo("sent");
        status(c, sid, "undelivered", "30003", "t2");
        status(c, sid, "sent", null, "t3");
        status(c, sid, "sending", null, "t4");
        var message = Api.as(c.org()).get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath();
        assertThat(message.getString("status")).isEqualTo("undelivered");
        assertThat(message.getInt("errorCode")).isEqualTo(30003);
        assertThat(Api.as(c.org()).get("/v1/messages/" + id + "/events").then().statusCode(200).extract()
                .jsonPath().getList("items.status")).containsExactly("sent", "undelivered", "sent", "sending");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected imported(Connected c) {
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0)).isPresent(), "the number to be routed");
        return c;
    }

    private InboundDelivery sms(Connected c, String from, String body) {
        return simulator.deliverInboundSms(c.number(0), from, body).await().atMost(Duration.ofSeconds(10));
    }

    private static List<String> optOuts(Connected c) {
        return Api.as(c.org()).get("/v1/opt-outs?limit=500").then().statusCode(200).extract().jsonPath()
                .getList("items.number");
    }

    private String messageId(String sid) {
        return pool.preparedQuery("select id from message where sid = $1").execute(Tuple.of(sid))
                .await().indefinitely().iterator().next().getUUID("id").toString();
    }

    private long count(String sql, String sid) {
        return pool.preparedQuery(sql).execute(Tuple.of(sid)).await().indefinitely().iterator().next().getLong(0);
    }

    private static void status(Connected c, String sid, String status, String errorCode, String token) {
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid", sid,
                "MessageStatus", status, "SmsStatus", status);
        if (errorCode != null) {
            params.put("ErrorCode", List.of(errorCode));
        }
        SignedWebhook.post("/twilio/messaging/status", params, c.account().authToken(), sid + token)
                .then().statusCode(204);
    }

    private static String messageStatus(Connected c, UUID id) {
        return Api.as(c.org()).get("/v1/messages/" + id).then().statusCode(200).extract().path("status");
    }
}
