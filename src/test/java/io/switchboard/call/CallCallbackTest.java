package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.Recorded;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class CallCallbackTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Pool pool;

    @Test
    void anInboundCallIsRecordedWithEachCallbackOnceInOrder() {
        var c = connectedWithAgent("on");
        String sid = callAndWait(c);

        JsonPath call = awaitCall(c, sid, "completed");
        assertThat(call.getString("direction")).isEqualTo("inbound");
        assertThat(call.getString("from")).isEqualTo(CALLER);
        assertThat(call.getString("to")).isEqualTo(c.number(0));
        assertThat(call.getInt("durationSeconds")).isPositive();
        assertThat(call.getString("endedAt")).isNotNull();
        assertThat(call.getString("recordingUrl")).isEqualTo("https://api.twilio.com/2010-04-01/Accounts/"
                + c.account().accountSid() + "/Recordings/" + simulator.call(sid).orElseThrow().recordingSids().get(0));

        var sent = callbacksSent(sid);
        assertThat(sent).allMatch(cb -> cb.status() == 204);
        Await.until(Duration.ofSeconds(5), () -> events(c, call.getString("id")).size() == sent.size() + 1,
                "every callback and the inbound call to be stored");
        var events = events(c, call.getString("id"));
        assertThat(events).filteredOn(e -> e.get("type").equals("voice-inbound")).hasSize(1);
        // The webhook that asked for the call's TwiML comes first, with every parameter it sent.
        assertThat(events.get(0)).containsEntry("type", "voice-inbound").containsEntry("status", "ringing");
        @SuppressWarnings("unchecked")
        var inboundParams = (Map<String, Object>) events.get(0).get("params");
        assertThat(inboundParams).containsEntry("CallSid", List.of(sid)).containsEntry("From", List.of(CALLER))
                .containsEntry("To", List.of(c.number(0)));
        // The callbacks, in the order Twilio sent them, each once.
        assertThat(events.stream().filter(e -> !e.get("type").equals("voice-inbound"))
                .map(e -> e.get("type") + ":" + e.get("status")).toList())
                .isEqualTo(sent.stream().map(cb -> kind(cb) + ":" + status(cb)).toList());
        var completed = events.stream().filter(e -> "voice-status".equals(e.get("type"))).findFirst().orElseThrow();
        assertThat(completed.get("sequenceNumber")).isEqualTo(0);
        @SuppressWarnings("unchecked")
        var params = (Map<String, Object>) completed.get("params");
        assertThat(params).containsEntry("CallSid", List.of(sid)).containsKey("CallDuration")
                .containsKey("CalledCountry");
    }

    @Test
    void anInboundCallWebhookDeliveredTwiceIsRecordedOnce() {
        var c = connectedWithAgent("off");
        var webhook = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        String sid = webhook.get("CallSid").get(0);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", webhook, c.account().authToken()).statusCode())
                .isEqualTo(200);
        String id = awaitCall(c, sid, "ringing").getString("id");
        Await.until(Duration.ofSeconds(5), () -> !events(c, id).isEmpty(), "the inbound call to be recorded");
        webhook.put("Caller", List.of("+15005550006"));
        assertThat(SignedWebhook.post("/twilio/voice/inbound", webhook, c.account().authToken()).statusCode())
                .isEqualTo(200);
        var retried = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        String later = retried.get("CallSid").get(0);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", retried, c.account().authToken()).statusCode())
                .isEqualTo(200);
        awaitCall(c, later, "ringing");

        var events = events(c, id);
        assertThat(events).hasSize(1);
        @SuppressWarnings("unchecked")
        var params = (Map<String, Object>) events.get(0).get("params");
        assertThat(params).as("the first delivery is the one kept").doesNotContainKey("Caller");
    }

    @Test
    void callbacksDeliveredTwiceAreStoredOnce() {
        var c = connectedWithAgent("on");
        Faults before = simulator.faults();
        simulator.setFaults(before.withCallbacksTwice(true));
        String sid;
        try {
            sid = callAndWait(c);
        } finally {
            simulator.setFaults(before);
        }
        var sent = callbacksSent(sid);
        assertThat(sent).allMatch(cb -> cb.status() == 204);
        long distinct = sent.stream().map(Recorded.Callback::idempotencyToken).distinct().count();
        // The simulator repeats the status callbacks (recording callbacks it sends once).
        assertThat(sent.stream().filter(cb -> cb.kind().equals("call-status"))).hasSize(2);
        assertThat(distinct).isLessThan(sent.size());

        JsonPath call = awaitCall(c, sid, "completed");
        Await.until(Duration.ofSeconds(5), () -> events(c, call.getString("id")).size() == distinct + 1,
                "the inbound call to be stored");
        assertThat(events(c, call.getString("id"))).hasSize((int) distinct + 1);
    }

    @Test
    void callbacksOutOfOrderNeverMoveAFinalStatusBack() {
        var c = connectedWithAgent("off");
        Faults before = simulator.faults();
        simulator.setFaults(before.withCallbacksOutOfOrder(true));
        String sid;
        try {
            sid = callAndWait(c);
        } finally {
            simulator.setFaults(before);
        }
        assertThat(awaitCall(c, sid, "completed").getInt("durationSeconds")).isPositive();

        // Twilio asked for every event, delivered newest first: the sequence numbers keep the final status.
        String other = "CA" + SimAccount.hex(16);
        for (var cb : List.of(status(c, other, "completed", 3, "7"), status(c, other, "in-progress", 2, null),
                status(c, other, "ringing", 1, null), status(c, other, "initiated", 0, null))) {
            SignedWebhook.post("/twilio/voice/status", cb, c.account().authToken()).then().statusCode(204);
        }
        JsonPath call = awaitCall(c, other, "completed");
        assertThat(call.getInt("durationSeconds")).isEqualTo(7);
        assertThat(call.getString("answeredAt")).isNotNull();
        assertThat(events(c, call.getString("id"))).extracting(e -> e.get("status"))
                .containsExactly("completed", "in-progress", "ringing", "initiated");
    }

    @Test
    void anAnsweredInboundCallKnowsWhenItWasAnswered() {
        var c = connectedWithAgent("off");
        String sid = callAndWait(c);
        // A number's status callback gets only the completed event: the answer is its end less its duration.
        assertThat(callbacksSent(sid).stream().map(CallCallbackTest::status).toList()).containsExactly("completed");

        JsonPath call = awaitCall(c, sid, "completed");
        assertThat(call.getString("answeredAt")).isNotNull();
        assertThat(Instant.parse(call.getString("answeredAt")))
                .isEqualTo(Instant.parse(call.getString("endedAt")).minusSeconds(call.getInt("durationSeconds")));

        // A call that ended unanswered was never answered.
        String busy = "CA" + SimAccount.hex(16);
        SignedWebhook.post("/twilio/voice/status", status(c, busy, "busy", 0, "0"), c.account().authToken())
                .then().statusCode(204);
        assertThat(awaitCall(c, busy, "busy").getString("answeredAt")).isNull();
    }

    @Test
    void aFailedCallCarriesTwiliosErrorMessage() {
        var c = connectedWithAgent("off");
        String sid = "CA" + SimAccount.hex(16);
        var failed = status(c, sid, "failed", 0, "0");
        failed.put("ErrorCode", List.of("31005"));
        failed.put("ErrorMessage", List.of("Connection error"));
        SignedWebhook.post("/twilio/voice/status", failed, c.account().authToken()).then().statusCode(204);
        JsonPath call = awaitCall(c, sid, "failed");
        assertThat(call.getInt("errorCode")).isEqualTo(31005);
        assertThat(call.getString("errorMessage")).isEqualTo("Connection error");

        // Without Twilio's words, what the code means, and where Twilio explains it.
        String other = "CA" + SimAccount.hex(16);
        var codeOnly = status(c, other, "failed", 0, "0");
        codeOnly.put("ErrorCode", List.of("21215"));
        SignedWebhook.post("/twilio/voice/status", codeOnly, c.account().authToken()).then().statusCode(204);
        assertThat(awaitCall(c, other, "failed").getString("errorMessage"))
                .isEqualTo("Geographic Permission configuration is not permitting call"
                        + " (https://www.twilio.com/docs/api/errors/21215)");
    }

    @Test
    void aRecordingCallbackSetsTheRecordingUrl() {
        var c = connectedWithAgent("off");
        String sid = "CA" + SimAccount.hex(16);
        SignedWebhook.post("/twilio/voice/status", status(c, sid, "in-progress", 1, null), c.account().authToken())
                .then().statusCode(204);
        String url = "https://api.twilio.com/2010-04-01/Accounts/" + c.account().accountSid() + "/Recordings/RE1";
        var recording = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid,
                "RecordingSid", "RE" + SimAccount.hex(16), "RecordingUrl", url, "RecordingStatus", "completed");
        SignedWebhook.post("/twilio/voice/recording", recording, c.account().authToken()).then().statusCode(204);
        assertThat(awaitCall(c, sid, "in-progress").getString("recordingUrl")).isEqualTo(url);
    }

    @Test
    void aCallbackForAnUnknownCallIsKept() {
        var c = Connected.create(simulator, 1);
        String sid = "CA" + SimAccount.hex(16);
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid,
                "CallStatus", "completed", "Direction", "outbound-api", "SequenceNumber", "4",
                "SomethingTwilioAddedLater", "x");
        SignedWebhook.post("/twilio/voice/status", params, c.account().authToken()).then().statusCode(204);
        var row = pool.preparedQuery("select organization_id, status, sequence_number, params::text as params"
                + " from communication_event where sid = $1").execute(Tuple.of(sid)).await().indefinitely()
                .iterator().next();
        assertThat(row.getUUID("organization_id")).isNull();
        assertThat(row.getString("status")).isEqualTo("completed");
        assertThat(row.getInteger("sequence_number")).isEqualTo(4);
        assertThat(row.getString("params")).contains("\"SomethingTwilioAddedLater\": [\"x\"]");
        Api.as(c.org()).get("/v1/calls?sid=" + sid).then().statusCode(200).extract().jsonPath()
                .getList("items").isEmpty();
    }

    /**
     * The database refusing the insert is simulated with a test-only trigger that raises for one sid: the real
     * handler, the real statement and the real pool, so the 503 branch is proven end to end. Twilio's retry of the
     * same delivery, once the database accepts again, is stored once.
     */
    @Test
    void aCallbackTheDatabaseRefusesIsAnswered503AndStoredOnRetry() {
        var c = Connected.create(simulator, 1);
        String sid = "CA" + SimAccount.hex(16);
        String function = "refuse_" + sid.toLowerCase();
        pool.query("create function " + function + "() returns trigger language plpgsql as $$ begin"
                + " if new.sid = '" + sid + "' then raise exception 'refused for the test'; end if;"
                + " return new; end $$").execute().await().indefinitely();
        pool.query("create trigger " + function + " before insert on communication_event for each row"
                + " execute function " + function + "()").execute().await().indefinitely();
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid,
                "CallStatus", "ringing", "Direction", "outbound-api", "SequenceNumber", "1");
        String token = UUID.randomUUID().toString();
        try {
            var refused = SignedWebhook.post("/twilio/voice/status", params, c.account().authToken(), token);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.asString()).isEmpty();
        } finally {
            pool.query("drop trigger " + function + " on communication_event").execute().await().indefinitely();
            pool.query("drop function " + function + "()").execute().await().indefinitely();
        }
        SignedWebhook.post("/twilio/voice/status", params, c.account().authToken(), token).then().statusCode(204);
        SignedWebhook.post("/twilio/voice/status", params, c.account().authToken(), token).then().statusCode(204);
        long stored = pool.preparedQuery("select count(*) from communication_event where sid = $1")
                .execute(Tuple.of(sid)).await().indefinitely().iterator().next().getLong(0);
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void anotherOrganizationsCallIsNotFound() {
        var c = connectedWithAgent("off");
        String sid = "CA" + SimAccount.hex(16);
        SignedWebhook.post("/twilio/voice/status", status(c, sid, "ringing", 0, null), c.account().authToken())
                .then().statusCode(204);
        String id = awaitCall(c, sid, "ringing").getString("id");
        var stranger = Api.newOrganization();
        Api.as(stranger).get("/v1/calls/" + id).then().statusCode(404);
        Api.as(stranger).get("/v1/calls/" + id + "/events").then().statusCode(404);
        assertThat(Api.as(stranger).get("/v1/calls?sid=" + sid).then().statusCode(200).extract().jsonPath()
                .getList("items")).isEmpty();
        Api.as(c.org()).get("/v1/calls/" + id).then().statusCode(200);
        Api.as(c.org()).get("/v1/calls?status=bogus").then().statusCode(400);
    }

    @Test
    void anotherAccountCannotTouchACallByNamingItsSid() {
        var victim = connectedWithAgent("off");
        String sid = callAndWait(victim);
        JsonPath before = awaitCall(victim, sid, "completed");
        Await.until(Duration.ofSeconds(5),
                () -> events(victim, before.getString("id")).size() == callbacksSent(sid).size() + 1,
                "the victim's own callbacks to be stored");
        int eventsBefore = events(victim, before.getString("id")).size();

        // A connected account of another organization signs a "completed" for the victim's sid, to its own number.
        var other = Connected.create(simulator, 1);
        other.importNumber(0, null);
        var forged = SignedWebhook.params("AccountSid", other.account().accountSid(), "CallSid", sid,
                "CallStatus", "failed", "Direction", "inbound", "From", CALLER, "To", other.number(0),
                "SequenceNumber", "99", "ErrorCode", "31000");
        SignedWebhook.post("/twilio/voice/status", forged, other.account().authToken()).then().statusCode(204);
        var recording = SignedWebhook.params("AccountSid", other.account().accountSid(), "CallSid", sid,
                "RecordingSid", "RE" + SimAccount.hex(16), "RecordingStatus", "completed",
                "RecordingUrl", "https://evil.example.com/r");
        SignedWebhook.post("/twilio/voice/recording", recording, other.account().authToken()).then().statusCode(204);

        JsonPath after = Api.as(victim.org()).get("/v1/calls/" + before.getString("id")).then().statusCode(200)
                .extract().jsonPath();
        assertThat(after.getString("status")).isEqualTo("completed");
        assertThat(after.getString("errorCode")).isNull();
        assertThat(after.getString("recordingUrl")).isNull();
        assertThat(events(victim, before.getString("id"))).hasSize(eventsBefore);
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected connectedWithAgent(String recording) {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot", "recording", recording,
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(2), () -> routing.find(c.number(0))
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "the number to be routed");
        return c;
    }

    private String callAndWait(Connected c) {
        var answer = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(200);
        simulator.callFinished(answer.sid()).toCompletableFuture().join();
        return answer.sid();
    }

    private List<Recorded.Callback> callbacksSent(String sid) {
        return simulator.callbacks(sid).stream()
                .filter(cb -> cb.kind().equals("call-status") || cb.kind().equals("recording")).toList();
    }

    private static String kind(Recorded.Callback cb) {
        return cb.kind().equals("call-status") ? "voice-status" : "recording";
    }

    private static String status(Recorded.Callback cb) {
        var p = cb.params();
        return (p.containsKey("CallStatus") && cb.kind().equals("call-status") ? p.get("CallStatus")
                : p.get("RecordingStatus")).get(0);
    }

    private Map<String, List<String>> status(Connected c, String sid, String status, int sequence, String duration) {
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid,
                "CallStatus", status, "Direction", "inbound", "From", CALLER, "To", c.number(0),
                "SequenceNumber", Integer.toString(sequence), "Timestamp", "Tue, 14 Apr 2026 10:00:0" + sequence
                        + " +0000");
        if (duration != null) {
            params.put("CallDuration", List.of(duration));
        }
        return params;
    }

    private static JsonPath awaitCall(Connected c, String sid, String status) {
        Await.until(Duration.ofSeconds(5), () -> status.equals(Api.as(c.org()).get("/v1/calls?sid=" + sid)
                .then().statusCode(200).extract().jsonPath().getString("items[0].status")), "call " + status);
        return Api.as(c.org()).get("/v1/calls?sid=" + sid).then().extract().jsonPath().setRootPath("items[0]");
    }

    private static List<Map<String, Object>> events(Connected c, String callId) {
        return Api.as(c.org()).get("/v1/calls/" + callId + "/events").then().statusCode(200).extract().jsonPath()
                .getList("items");
    }
}
