package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A webhook is verified only with the tokens of the provider that owns the number it concerns: another organization
 * that connected the same Twilio account keeps its own, stale, copy of the token, which must not let it forge the
 * owner's inbound calls, opt-outs or callbacks once the owner rotated. The owner's replaced token is accepted during
 * its grace, until the grace is ended.
 */
@QuarkusTest
class TokenRevocationTest {

    private static final String CALLER = "+15105550123";
    private static final String STREAM_URL = "wss://agents.example.com/media";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    WebhookKeys keys;

    @Inject
    ProviderCredentials credentials;

    /** The owner's numbers, its tokens over two rotations, and another organization connected with the first. */
    private record Shared(Connected owner, String agentId, String first, String second, String third) {
    }

    @Test
    void anotherOrganizationsStaleTokenIsRefusedForTheOwnersNumbers() {
        var s = sharedAccountRotatedTwice();
        String number = s.owner().number(0);
        String sid = s.owner().account().accountSid();

        // The intruder's copy (the first token) is not the owner's: refused on every webhook about the owner's number.
        assertThat(inboundCall(sid, number, s.first()).statusCode()).isEqualTo(403);
        assertThat(inboundSms(sid, number, CALLER, "STOP", s.first()).statusCode()).isEqualTo(403);
        assertThat(optOuts(s.owner())).doesNotContain(CALLER);
        assertThat(inboundCallStatus(sid, number, s.first()).statusCode()).isEqualTo(403);
        assertThat(outboundCallStatus(sid, number, s.first()).statusCode()).isEqualTo(403);
        assertThat(messageStatus(sid, number, s.first()).statusCode()).isEqualTo(403);

        // The owner's current token is accepted for the same webhooks.
        var answer = inboundCall(sid, number, s.third());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.asString()).contains(STREAM_URL);
        assertThat(inboundCallStatus(sid, number, s.third()).statusCode()).isEqualTo(204);
        assertThat(outboundCallStatus(sid, number, s.third()).statusCode()).isEqualTo(204);
        assertThat(messageStatus(sid, number, s.third()).statusCode()).isEqualTo(204);
        assertThat(inboundSms(sid, number, CALLER, "STOP", s.third()).statusCode()).isEqualTo(200);
        assertThat(optOuts(s.owner())).contains(CALLER);
    }

    /**
     * A callback that names no number imported here is checked against every provider of the account, so the other
     * organization's copy of the token passes the gate; but it then changes nothing of a call of the owner's provider.
     */
    @Test
    void aCallbackNamingNoImportedNumberChangesNoCallOfAnotherProvider() {
        var s = sharedAccountRotatedTwice();
        String account = s.owner().account().accountSid();
        var params = SignedWebhook.inboundCall(account, CALLER, s.owner().number(0));
        String callSid = params.get("CallSid").get(0);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", params, s.third()).statusCode()).isEqualTo(200);
        Await.until(Duration.ofSeconds(10), () -> Api.as(s.owner().org()).get("/v1/calls?sid=" + callSid)
                .then().extract().<List<?>>path("items").size() == 1, "the answered call to be recorded");

        String elsewhere = SimAccount.randomNumber();
        var forged = SignedWebhook.params("AccountSid", account, "CallSid", callSid, "CallStatus", "completed",
                "Direction", "inbound", "From", CALLER, "To", elsewhere, "SequenceNumber", "9", "CallDuration", "1");
        assertThat(SignedWebhook.post("/twilio/voice/status", forged, s.first()).statusCode()).isEqualTo(204);
        var recording = SignedWebhook.params("AccountSid", account, "CallSid", callSid, "RecordingSid",
                "RE" + SimAccount.hex(16), "RecordingStatus", "completed", "RecordingUrl",
                "https://forged.example.com/recording");
        assertThat(SignedWebhook.post("/twilio/voice/recording", recording, s.first()).statusCode()).isEqualTo(204);

        Api.as(s.owner().org()).get("/v1/calls?sid=" + callSid).then().statusCode(200)
                .body("items[0].status", equalTo("ringing"))
                .body("items[0].recordingUrl", nullValue());

        // The owner's own callback, through the same fallback (a number not imported), still applies.
        var real = new java.util.HashMap<>(forged);
        real.put("CallStatus", List.of("in-progress"));
        real.put("SequenceNumber", List.of("1"));
        assertThat(SignedWebhook.post("/twilio/voice/status", real, s.third()).statusCode()).isEqualTo(204);
        Api.as(s.owner().org()).get("/v1/calls?sid=" + callSid).then().statusCode(200)
                .body("items[0].status", equalTo("in-progress"));
    }

    @Test
    void anOutboundCallIsAnsweredOnlyToTheProviderThatPlacedIt() {
        var s = sharedAccountRotatedTwice();
        String sid = s.owner().account().accountSid();
        String number = s.owner().number(0);
        String callee = SimAccount.randomNumber();
        String callId = Api.as(s.owner().org())
                .body(Map.of("agentId", s.agentId(), "targetNumbers", List.of(callee))).post("/v1/calls")
                .then().statusCode(202).extract().path("calls[0].id");
        String path = "/twilio/voice/outbound/" + callId;

        // Signed with the other organization's copy of the account's token: from the owner's number, and from one
        // nobody here imported (checked against every provider of the account, but not the one that placed the call).
        assertThat(SignedWebhook.post(path, answered(sid, number, callee), s.first()).statusCode()).isEqualTo(403);
        assertThat(SignedWebhook.post(path, answered(sid, SimAccount.randomNumber(), callee), s.first())
                .statusCode()).isEqualTo(403);

        var answer = SignedWebhook.post(path, answered(sid, number, callee), s.third());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.asString()).contains(STREAM_URL);
    }

    @Test
    void theReplacedTokenIsAcceptedDuringItsGraceUntilTheGraceIsEnded() {
        var s = sharedAccountRotatedTwice();
        String number = s.owner().number(0);
        String sid = s.owner().account().accountSid();
        assertThat(inboundCall(sid, number, s.second()).statusCode()).isEqualTo(200);
        assertThat(inboundCall(sid, number, s.third()).statusCode()).isEqualTo(200);

        Api.as(s.owner().org()).get("/v1/providers/" + s.owner().providerId()).then().statusCode(200)
                .body("previousAuthTokenGraceEndsAt", notNullValue());
        Api.as(s.owner().org()).post("/v1/providers/" + s.owner().providerId() + "/end-token-grace").then()
                .statusCode(200).body("id", equalTo(s.owner().providerId()))
                .body("previousAuthTokenGraceEndsAt", nullValue());

        // Every replica hears of it through the change feed, a moment later.
        Await.until(Duration.ofSeconds(5), () -> inboundCall(sid, number, s.second()).statusCode() == 403,
                "the replaced token to be refused once its grace is ended");
        assertThat(inboundCallStatus(sid, number, s.second()).statusCode()).isEqualTo(403);
        assertThat(inboundCall(sid, number, s.third()).statusCode()).isEqualTo(200);

        // Ending a grace that is over already changes nothing; another organization cannot end it.
        Api.as(s.owner().org()).post("/v1/providers/" + s.owner().providerId() + "/end-token-grace").then()
                .statusCode(200);
        Api.as(Api.newOrganization()).post("/v1/providers/" + s.owner().providerId() + "/end-token-grace").then()
                .statusCode(404);
        assertThat(inboundCall(sid, number, s.third()).statusCode()).isEqualTo(200);
    }

    @Test
    void aNumberProcessedInIe1IsVerifiedWithTheIe1TokenNotTheUs1One() {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1);
        String ie1Token = account.authToken();
        // IE1 credentials of their own, as Twilio's regions keep them (the simulator's IE1 accepts only these).
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.IE1, ie1Token);
        var ie1 = new HashMap<>(account.providerRequest("Dublin"));
        ie1.put("region", "ie1");
        String ie1Id = Api.as(org).body(ie1).post("/v1/providers").then().statusCode(201).extract().path("id");
        var dublin = new Connected(org, account, ie1Id);
        awaitKeys(ie1Id);
        dublin.importNumber(0, streamAgent(dublin));
        awaitRouted(dublin.number(0));

        // The same account's US1 credentials, connected too: a token of their own.
        String us1Token = SimAccount.hex(16);
        simulator.rotateAuthToken(account.accountSid(), us1Token);
        var us1 = Map.of("type", "twilio", "name", "Ashburn", "accountSid", account.accountSid(), "authToken",
                us1Token, "region", "us1");
        String us1Id = Api.as(org).body(us1).post("/v1/providers").then().statusCode(201).extract().path("id");
        awaitKeys(us1Id);

        assertThat(inboundCall(account.accountSid(), dublin.number(0), ie1Token).statusCode()).isEqualTo(200);
        assertThat(inboundCall(account.accountSid(), dublin.number(0), us1Token).statusCode()).isEqualTo(403);
        assertThat(inboundCallStatus(account.accountSid(), dublin.number(0), us1Token).statusCode()).isEqualTo(403);
    }

    /**
     * The owner connects with the first token and imports a number routed to a stream agent; another organization
     * connects the same account with the same token; the owner then rotates to the second token and to the third.
     */
    private Shared sharedAccountRotatedTwice() {
        var owner = Connected.create(simulator, 1);
        String first = owner.account().authToken();
        String agentId = streamAgent(owner);
        owner.importNumber(0, agentId);
        awaitRouted(owner.number(0));

        var intruder = Api.newOrganization();
        String intruderId = Api.as(intruder).body(owner.account().providerRequest("Same account"))
                .post("/v1/providers").then().statusCode(201).extract().path("id");
        awaitKeys(intruderId);

        String second = rotate(owner);
        String third = rotate(owner);
        // The owner's keys now hold the third token (and the second, in its grace).
        Await.until(Duration.ofSeconds(5),
                () -> inboundCall(owner.account().accountSid(), owner.number(0), third).statusCode() == 200,
                "the owner's newest token to be accepted");
        return new Shared(owner, agentId, first, second, third);
    }

    /** Rotates the account's token at Twilio and then on the owner's provider; returns the new token. */
    private String rotate(Connected owner) {
        String token = SimAccount.hex(16);
        simulator.rotateAuthToken(owner.account().accountSid(), token);
        Api.as(owner.org()).body(Map.of("authToken", token)).patch("/v1/providers/" + owner.providerId()).then()
                .statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> {
            var creds = credentials.find(UUID.fromString(owner.providerId())).await().atMost(Duration.ofSeconds(5));
            return token.equals(creds.authToken());
        }, "the rotation to be stored");
        return token;
    }

    private String streamAgent(Connected c) {
        return c.createAgent(Map.of("name", "Bot", "routing", Map.of("type", "stream", "url", STREAM_URL)));
    }

    private void awaitRouted(String number) {
        Await.until(Duration.ofSeconds(5), () -> routing.find(number).isPresent(), "the number to be routed");
    }

    private void awaitKeys(String providerId) {
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId)),
                "the service to know the provider's signing keys");
    }

    private static Response inboundCall(String accountSid, String to, String token) {
        return SignedWebhook.post("/twilio/voice/inbound", SignedWebhook.inboundCall(accountSid, CALLER, to), token);
    }

    /** What Twilio sends when the callee of a call placed from {@code from} answers. */
    private static Map<String, List<String>> answered(String accountSid, String from, String to) {
        var params = SignedWebhook.inboundCall(accountSid, from, to);
        params.put("CallStatus", List.of("in-progress"));
        params.put("Direction", List.of("outbound-api"));
        return params;
    }

    private static Response inboundSms(String accountSid, String to, String from, String body, String token) {
        var params = SignedWebhook.params("AccountSid", accountSid, "MessageSid", "SM" + SimAccount.hex(16), "From",
                from, "To", to, "Body", body);
        return SignedWebhook.post("/twilio/messaging/inbound", params, token);
    }

    /** A status callback of an inbound call to {@code number}: the called number says whose call it is. */
    private static Response inboundCallStatus(String accountSid, String number, String token) {
        var params = SignedWebhook.params("AccountSid", accountSid, "CallSid", "CA" + SimAccount.hex(16),
                "CallStatus", "completed", "Direction", "inbound", "From", CALLER, "To", number, "SequenceNumber",
                "3");
        return SignedWebhook.post("/twilio/voice/status", params, token);
    }

    /** A status callback of a call placed from {@code number}: the calling number says whose call it is. */
    private static Response outboundCallStatus(String accountSid, String number, String token) {
        var params = SignedWebhook.params("AccountSid", accountSid, "CallSid", "CA" + SimAccount.hex(16),
                "CallStatus", "completed", "Direction", "outbound-api", "From", number, "To", CALLER,
                "SequenceNumber", "3");
        return SignedWebhook.post("/twilio/voice/status", params, token);
    }

    private static Response messageStatus(String accountSid, String number, String token) {
        var params = SignedWebhook.params("AccountSid", accountSid, "MessageSid", "SM" + SimAccount.hex(16),
                "MessageStatus", "delivered", "From", number, "To", CALLER);
        return SignedWebhook.post("/twilio/messaging/status", params, token);
    }

    private static List<String> optOuts(Connected c) {
        return Api.as(c.org()).get("/v1/opt-outs?limit=500").then().statusCode(200).extract().jsonPath()
                .getList("items.number");
    }
}
