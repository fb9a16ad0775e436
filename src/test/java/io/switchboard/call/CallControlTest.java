package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.switchboard.webhook.WebhookKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hang-up, recording controls and texts during a call, against live calls in the simulator. */
@QuarkusTest
class CallControlTest {

    private static final String CALLER = "+14155550177";
    private static final String UPDATE_CALL = "/2010-04-01/Accounts/{AccountSid}/Calls/{Sid}.json";
    private static final String UPDATE_RECORDING = "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Recordings/"
            + "{Sid}.json";

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    @Inject
    RoutingTable routing;

    @Inject
    WebhookKeys keys;

    @Inject
    CallControl control;

    private Timing configured;

    @BeforeEach
    void longCalls() {
        configured = simulator.timing();
        // Calls stay in progress until hung up (or for a minute), so that they can be controlled.
        simulator.setTiming(new Timing(configured.step(), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.setTiming(configured);
        simulator.clearScopedFaults();
    }

    // --- hang-up ----------------------------------------------------------------------------------------------------

    @Test
    void aLiveCallIsHungUpAndEndsWithItsCompletedCallback() {
        var c = connected("off");
        var call = liveInboundCall(c);

        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(200)
                .body("id", equalTo(call.id)).body("sid", equalTo(call.sid)).body("status", equalTo("completed"));

        var ended = simulator.callFinished(call.sid).toCompletableFuture().join();
        assertThat(ended.status()).isEqualTo("completed");
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(status(c, call.id)), "the call row to complete");
        // The stored row said ringing (Twilio's inbound webhook): canceled first, which Twilio does not apply to an
        // answered call, then completed.
        assertThat(updates(call.sid, UPDATE_CALL)).extracting(r -> r.params().get("Status").get(0))
                .containsExactly("canceled", "completed");
        assertThat(events(c, call.id)).anySatisfy(e -> {
            assertThat(e.get("type")).isEqualTo("hangup");
            assertThat(e.get("status")).isEqualTo("completed");
        });

        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(409)
                .body("error", equalTo("call_ended"));
        assertThat(updates(call.sid, UPDATE_CALL)).hasSize(2);
    }

    @Test
    void aHangUpAndARecordingControlWaitForTheControlRequestThatHoldsTheCall() throws Exception {
        var c = connected("off");
        var call = liveInboundCall(c);
        // Another control request (a transfer being placed, say) holds the call until released.
        var held = new CompletableFuture<Void>();
        var release = new CompletableFuture<Void>();
        control.serialized(UUID.fromString(c.org().id()), UUID.fromString(call.id), () -> Uni.createFrom()
                .voidItem().invoke(() -> held.complete(null)).chain(() -> Uni.createFrom().completionStage(release)))
                .subscribe().with(ignored -> {}, failure -> {});
        held.get(10, TimeUnit.SECONDS);

        var recording = CompletableFuture.supplyAsync(() -> Api.as(c.org()).body(Map.of("action", "pause"))
                .post("/v1/calls/" + call.id + "/recording").then().extract().jsonPath());
        var hangup = CompletableFuture.supplyAsync(() -> Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup")
                .then().extract().statusCode());
        // A request not serialized reaches Twilio within milliseconds: 300 ms without one shows both waiting.
        Thread.sleep(300);
        assertThat(recording).isNotDone();
        assertThat(hangup).isNotDone();
        assertThat(updates(call.sid, UPDATE_CALL)).isEmpty();
        assertThat(updates(call.sid, UPDATE_RECORDING)).isEmpty();

        release.complete(null);
        assertThat(hangup.get(15, TimeUnit.SECONDS)).isEqualTo(200);
        // Whichever ran first, each ran alone once the lease was given back: the call has no recording, and the
        // pause is refused as for any such call (before the hang-up) or as not in progress (after it).
        assertThat(recording.get(15, TimeUnit.SECONDS).getString("error")).isIn("no_active_recording",
                "call_not_in_progress");
        simulator.callFinished(call.sid).toCompletableFuture().join();
    }

    @Test
    void aCallAlreadyEndingAtTwilioIsHungUpAgainHarmlessly() {
        var c = connected("off");
        var call = liveInboundCall(c);
        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(200);
        simulator.callFinished(call.sid).toCompletableFuture().join();
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(status(c, call.id)), "the call row to complete");
        // As if the completed callback were still on its way: the row says in progress, Twilio that it is over.
        pool.preparedQuery("update call set status = 'in-progress' where id = $1")
                .execute(Tuple.of(UUID.fromString(call.id))).await().atMost(Duration.ofSeconds(5));

        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(200)
                .body("status", equalTo("completed"));

        // Twilio refusing the update because the call is over (21220) is the same: its status is read instead.
        simulator.failRoute("POST", UPDATE_CALL, 400, 21220, 1);
        long fetchesBefore = fetches(call.sid);
        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(200)
                .body("status", equalTo("completed"));
        assertThat(fetches(call.sid)).isEqualTo(fetchesBefore + 1);
    }

    @Test
    void anotherOrganizationsCallIsNotFoundAndAnAnonymousRequestRefused() {
        var c = connected("off");
        var call = liveInboundCall(c);
        var other = Api.newOrganization();

        Api.as(other).post("/v1/calls/" + call.id + "/hangup").then().statusCode(404).body("error",
                equalTo("not_found"));
        Api.as(other).body(Map.of("action", "pause")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(404);
        Api.as(other).body(Map.of("body", "hi")).post("/v1/calls/" + call.id + "/messages").then().statusCode(404);
        RestAssured.given().post("/v1/calls/" + call.id + "/hangup").then().statusCode(401);
        Api.as(c.org()).post("/v1/calls/" + UUID.randomUUID() + "/hangup").then().statusCode(404);
        assertThat(updates(call.sid, UPDATE_CALL)).isEmpty();
        assertThat(simulator.call(call.sid).orElseThrow().status()).isEqualTo("in-progress");
        hangUp(c, call);
    }

    @Test
    void twilioRefusingAHangUpIsItsRefusal() {
        var c = connected("off");
        var call = liveInboundCall(c);
        simulator.failRoute("POST", UPDATE_CALL, 400, 21218, 1);

        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(422)
                .body("error", equalTo("twilio_rejected"));
        assertThat(simulator.call(call.sid).orElseThrow().status()).isEqualTo("in-progress");
        hangUp(c, call);
    }

    @Test
    void aCallNotPlacedYetCannotBeHungUp() {
        var c = connected("off");
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                insert into call (id, organization_id, direction, from_number, to_number, status, created_at,
                                  updated_at)
                values ($1, $2, 'outbound', $3, $4, 'queued', now(), now())""")
                .execute(Tuple.of(id, UUID.fromString(c.org().id()), c.number(0), CALLER))
                .await().atMost(Duration.ofSeconds(5));

        Api.as(c.org()).post("/v1/calls/" + id + "/hangup").then().statusCode(409)
                .body("error", equalTo("call_not_placed"));
        Api.as(c.org()).body(Map.of("action", "pause")).post("/v1/calls/" + id + "/recording").then()
                .statusCode(409).body("error", equalTo("call_not_in_progress"));
    }

    // --- recording --------------------------------------------------------------------------------------------------

    @Test
    void aRecordingIsPausedResumedAndStopped() {
        var c = connected("on");
        var call = liveInboundCall(c);
        Await.until(Duration.ofSeconds(5), () -> !simulator.callRecordings(call.sid).isEmpty(), "the recording");
        String recordingSid = simulator.callRecordings(call.sid).keySet().iterator().next();

        Api.as(c.org()).body(Map.of("action", "pause", "pauseBehavior", "skip"))
                .post("/v1/calls/" + call.id + "/recording").then().statusCode(200)
                .body("id", equalTo(call.id)).body("recordingSid", equalTo(recordingSid))
                .body("status", equalTo("paused"));
        assertThat(simulator.callRecordings(call.sid)).containsEntry(recordingSid, "paused");
        Api.as(c.org()).body(Map.of("action", "resume")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(200).body("status", equalTo("in-progress"));
        assertThat(simulator.callRecordings(call.sid)).containsEntry(recordingSid, "in-progress");
        Api.as(c.org()).body(Map.of("action", "stop")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(200).body("status", equalTo("stopped"));
        assertThat(simulator.callRecordings(call.sid)).containsEntry(recordingSid, "stopped");
        // Its completed callback, sent as it stopped, brings the recording to the call while it goes on.
        Await.until(Duration.ofSeconds(10), () -> Api.as(c.org()).get("/v1/calls/" + call.id).then().extract()
                .path("recordingUrl") != null, "the stopped recording's URL");

        var sent = updates(call.sid, UPDATE_RECORDING);
        assertThat(sent).extracting(Recorded.Request::path)
                .allSatisfy(p -> assertThat(p).endsWith("/Calls/" + call.sid + "/Recordings/Twilio.CURRENT.json"));
        assertThat(sent).extracting(r -> r.params().get("Status").get(0))
                .containsExactly("paused", "in-progress", "stopped");
        assertThat(sent.get(0).params().get("PauseBehavior")).containsExactly("skip");
        assertThat(sent.get(1).params()).doesNotContainKey("PauseBehavior");
        assertThat(events(c, call.id)).filteredOn(e -> "recording-control".equals(e.get("type")))
                .extracting(e -> e.get("status")).containsExactly("paused", "in-progress", "stopped");

        // Stopped, nothing records the call any more.
        Api.as(c.org()).body(Map.of("action", "pause")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(409).body("error", equalTo("no_active_recording"));
        hangUp(c, call);
    }

    @Test
    void aCallWithoutRecordingOrNotLiveHasNoRecordingToControl() {
        var c = connected("off");
        var call = liveInboundCall(c);
        Api.as(c.org()).body(Map.of("action", "pause")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(409).body("error", equalTo("no_active_recording"));

        // Twilio says the call is not live (the row has not heard yet).
        simulator.failRoute("POST", UPDATE_RECORDING, 400, 21220, 1);
        Api.as(c.org()).body(Map.of("action", "resume")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(409).body("error", equalTo("call_not_in_progress"));

        hangUp(c, call);
        Api.as(c.org()).body(Map.of("action", "stop")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(409).body("error", equalTo("call_not_in_progress"));
    }

    @Test
    void aRecordingControlNamesItsBadField() {
        var c = connected("off");
        var call = liveInboundCall(c);
        Api.as(c.org()).body(Map.of("action", "rewind")).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(400).body("details[0].field", equalTo("action"));
        Api.as(c.org()).body(Map.of()).post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(400).body("details[0].field", equalTo("action"));
        Api.as(c.org()).body(Map.of("action", "resume", "pauseBehavior", "skip"))
                .post("/v1/calls/" + call.id + "/recording").then()
                .statusCode(400).body("details[0].field", equalTo("pauseBehavior"));
        assertThat(updates(call.sid, UPDATE_RECORDING)).isEmpty();
        hangUp(c, call);
    }

    // --- messages ---------------------------------------------------------------------------------------------------

    @Test
    void theCallerIsTextedFromTheCalledNumberDuringAndAfterTheCall() {
        var c = connected("off");
        var call = liveInboundCall(c);

        var sent = Api.as(c.org()).body(Map.of("body", "Your link: https://example.com/pay"))
                .post("/v1/calls/" + call.id + "/messages").then().statusCode(202)
                .body("to", equalTo(CALLER)).body("from", equalTo(c.number(0)))
                .body("callId", equalTo(call.id)).body("status", equalTo("queued"))
                .extract().jsonPath();
        String messageId = sent.getString("id");
        Await.until(Duration.ofSeconds(10), () -> simulator.messages().stream()
                .anyMatch(m -> m.to().equals(CALLER) && m.from().equals(c.number(0))), "the text to be sent");
        Api.as(c.org()).get("/v1/messages/" + messageId).then().statusCode(200).body("callId", equalTo(call.id));
        assertThat(events(c, call.id)).anySatisfy(e -> {
            assertThat(e.get("type")).isEqualTo("message");
            assertThat(e.get("params")).isEqualTo(Map.of("MessageId", List.of(messageId)));
        });

        hangUp(c, call);
        Api.as(c.org()).body(Map.of("body", "Thanks for calling"))
                .post("/v1/calls/" + call.id + "/messages").then().statusCode(202).body("callId", equalTo(call.id));
        Await.until(Duration.ofSeconds(10), () -> simulator.messages().stream()
                .filter(m -> m.to().equals(CALLER) && m.from().equals(c.number(0))).count() == 2,
                "the text after the call to be sent too");
        // Any other message has no call.
        Api.as(c.org()).body(Map.of("to", CALLER, "body", "hello")).post("/v1/messages").then().statusCode(202)
                .body("callId", nullValue());
    }

    @Test
    void aTextToAPartyOnTheDoNotContactListIsRefusedAsForAnyMessage() {
        var c = connected("off");
        var call = liveInboundCall(c);
        Api.as(c.org()).body(Map.of("number", CALLER)).post("/v1/do-not-contact").then().statusCode(201);

        Api.as(c.org()).body(Map.of("body", "hello")).post("/v1/calls/" + call.id + "/messages").then()
                .statusCode(422).body("error", equalTo("recipient_opted_out"));
        Api.as(c.org()).body(Map.of("body", "")).post("/v1/calls/" + call.id + "/messages").then()
                .statusCode(400).body("details[0].field", equalTo("body"));
        Api.as(c.org()).body(Map.of("text", "hello")).post("/v1/calls/" + call.id + "/messages").then()
                .statusCode(400);
        assertThat(events(c, call.id)).noneSatisfy(e -> assertThat(e.get("type")).isEqualTo("message"));
        hangUp(c, call);
    }

    // --- regions ----------------------------------------------------------------------------------------------------

    @Test
    void aCallInAnotherRegionIsControlledThereWithThatRegionsCredentials() {
        // The same token in AU1 keeps the simulator's callback signatures valid (see SimAccount.alsoIn).
        var account = SimAccount.create(simulator, 1).alsoIn(simulator, SimRegion.AU1);
        var org = Api.newOrganization();
        var provider = new HashMap<>(account.providerRequest("Sydney"));
        provider.put("region", "au1");
        String providerId = Api.as(org).body(provider).post("/v1/providers").then().statusCode(201).extract()
                .path("id");
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId)),
                "the service to know the provider's signing keys");
        var c = new Connected(org, account, providerId);
        String agentId = c.createAgent(Map.of("name", "Bot", "recording", "on",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        String callId = Api.as(org).body(Map.of("agentId", agentId, "targetNumbers", List.of(CALLER)))
                .post("/v1/calls").then().statusCode(202).extract().path("calls[0].id");
        Await.until(Duration.ofSeconds(15), () -> "in-progress".equals(status(c, callId)), "the call to be answered");
        String sid = Api.as(org).get("/v1/calls/" + callId).then().extract().path("sid");

        Api.as(org).body(Map.of("action", "pause")).post("/v1/calls/" + callId + "/recording").then()
                .statusCode(200).body("status", equalTo("paused"));
        Api.as(org).post("/v1/calls/" + callId + "/hangup").then().statusCode(200)
                .body("status", equalTo("completed"));

        var control = simulator.requests().stream().filter(r -> r.path().contains(sid)).toList();
        assertThat(control).hasSize(2).allSatisfy(r -> {
            assertThat(r.region()).isEqualTo("au1");
            assertThat(r.status()).isEqualTo(200);
        });
        assertThat(simulator.callFinished(sid).toCompletableFuture().join().status()).isEqualTo("completed");
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private record Live(String id, String sid) {
    }

    private Connected connected(String recording) {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot", "recording", recording,
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0))
                .map(r -> r.agent() != null && r.agent().id().toString().equals(agentId)).orElse(false),
                "the number to be routed");
        return c;
    }

    /** An answered inbound call to the organization's number, once its row is stored. */
    private Live liveInboundCall(Connected c) {
        var answer = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10));
        assertThat(answer.status()).isEqualTo(200);
        String sid = answer.sid();
        Await.until(Duration.ofSeconds(10), () -> !Api.as(c.org()).get("/v1/calls?sid=" + sid).then().statusCode(200)
                .extract().jsonPath().getList("items").isEmpty(), "the call row");
        String id = Api.as(c.org()).get("/v1/calls?sid=" + sid).then().extract().path("items[0].id");
        return new Live(id, sid);
    }

    private void hangUp(Connected c, Live call) {
        Api.as(c.org()).post("/v1/calls/" + call.id + "/hangup").then().statusCode(200);
        simulator.callFinished(call.sid).toCompletableFuture().join();
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(status(c, call.id)), "the call row to complete");
    }

    private static String status(Connected c, String id) {
        return Api.as(c.org()).get("/v1/calls/" + id).then().statusCode(200).extract().path("status");
    }

    private static List<Map<String, Object>> events(Connected c, String id) {
        JsonPath body = Api.as(c.org()).get("/v1/calls/" + id + "/events").then().statusCode(200).extract()
                .jsonPath();
        return body.getList("items");
    }

    private long fetches(String sid) {
        return simulator.requests().stream()
                .filter(r -> r.route().endsWith(UPDATE_CALL) && r.path().contains(sid) && "GET".equals(r.method()))
                .count();
    }

    private List<Recorded.Request> updates(String sid, String route) {
        return simulator.requests().stream()
                .filter(r -> r.route().endsWith(route) && r.path().contains(sid) && "POST".equals(r.method()))
                .toList();
    }
}
