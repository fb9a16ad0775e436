package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimulatedCall;
import io.switchboard.simulator.Timing;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm transfers of a live inbound call, end to end against the simulator: the target dialed into the call's
 * conference (refused synchronously with Twilio's code), the caller moved in on hold, the target briefed alone, the two
 * joined; every early hang-up of any party leaves no call, leg or conference live, and every refusal.
 */
@QuarkusTest
class CallWarmTransferTest {

    private static final String CALLER = "+15105550123";
    private static final String ANNOUNCEMENT = "Ada asks about order 12";
    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 900));

    @Inject
    TwilioSimulator simulator;
    @Inject
    RoutingTable routing;
    @Inject
    WebhookUrls urls;

    private Timing timing;

    /** Calls that talk until a party hangs up, well past any test. */
    @BeforeEach
    void longCalls() {
        timing = simulator.timing();
        simulator.setTiming(new Timing(Duration.ofMillis(50), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.setTiming(timing);
    }

    @Test
    void theCallerWaitsOnHoldWhileTheTargetIsBriefedThenTheyAreJoinedAndTheTargetHangingUpEndsAll() {
        var s = setUp(true, true);
        var live = ring(s);
        JsonPath answer = transfer(s, live, Map.of("mode", "warm", "announcement", ANNOUNCEMENT)).then()
                .statusCode(200).extract().jsonPath();
        assertThat(answer.getString("transferredTo")).isEqualTo(s.transferNumber);
        assertThat(answer.getString("transferStatus")).isEqualTo("dialing");

        // The target is dialed into the call's conference, seeing the Switchboard number.
        assertThat(participantCreates(live)).singleElement().satisfies(r -> {
            assertThat(r.params().get("To")).containsExactly(s.transferNumber);
            assertThat(r.params().get("From")).containsExactly(s.number);
            assertThat(r.params().get("Timeout")).containsExactly("30");
            assertThat(r.params().get("StatusCallback"))
                    .containsExactly(urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, live.id));
            assertThat(r.status()).isEqualTo(201);
        });
        // The caller's leg joins it, on hold music, without starting it, and ending it when it leaves.
        String conference = TransferTwiml.conferenceName(live.id);
        assertThat(twimlOf(live.sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>"
                + "<Dial action=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER, live.id))
                + "\" method=\"POST\"><Conference beep=\"false\" endConferenceOnExit=\"true\" startConferenceOnEnter="
                + "\"false\" statusCallback=\"" + xml(urls.url(WebhookEndpoint.VOICE_TRANSFER_CONFERENCE, live.id))
                + "\" statusCallbackEvent=\"join leave end announcement\" statusCallbackMethod=\"POST\" waitMethod="
                + "\"GET\" waitUrl=\"" + TransferTwiml.HOLD_MUSIC + "\">" + conference + "</Conference></Dial>"
                + "</Response>");

        SimulatedCall target = awaitTarget(s, "in-progress");
        awaitTransfer(s, live, "connected");
        // The briefing was the target's alone: said to it while the caller was held, then the caller taken back.
        assertThat(twimlOf(target.sid())).singleElement().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Response><Say>" + ANNOUNCEMENT + "</Say></Response>");
        var updates = simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Participants/{CallSid}.json")
                        && s.account.accountSid().equals(r.accountSid()))
                .toList();
        // The caller's hold (at its joining) and the target's announcement (at its own) may come in either order; the
        // caller is taken off hold once the announcement has ended.
        assertThat(updates).hasSize(3);
        assertThat(updates.subList(0, 2)).extracting(r -> r.path().substring(r.path().lastIndexOf('/') + 1),
                r -> r.params().get("Hold"), r -> r.params().get("AnnounceUrl"))
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple(live.sid + ".json", List.of("true"), null),
                        org.assertj.core.groups.Tuple.tuple(target.sid() + ".json", null,
                                List.of(urls.url(WebhookEndpoint.VOICE_TRANSFER_ANNOUNCEMENT, live.id))));
        assertThat(updates.get(2).path()).endsWith("/" + live.sid + ".json");
        assertThat(updates.get(2).params().get("Hold")).containsExactly("false");
        assertThat(simulator.liveConferences()).filteredOn(c -> c.friendlyName().equals(conference))
                .singleElement().satisfies(c -> assertThat(c.participants())
                        .containsEntry(live.sid, "connected").containsEntry(target.sid(), "connected"));
        // The call's own status is the caller's leg's.
        assertThat(call(s, live).getString("status")).isEqualTo("ringing");

        simulator.hangUp(target.sid());
        awaitNothingLive(s, live);
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(call(s, live).getString("status")),
                "the caller's leg to end");
        assertThat(call(s, live).getString("transferStatus")).isEqualTo("connected");
        var events = Api.as(s.org).get("/v1/calls/" + live.id + "/events").then().statusCode(200).extract()
                .jsonPath();
        assertThat(events.getList("items.findAll { it.type == 'transfer' }.status", String.class))
                .contains("dialing", "target-in-progress", "connected", "target-completed");
    }

    @Test
    void theCallerHangingUpOnHoldEndsTheConferenceAndTheRingingTarget() {
        // Slow steps, so that the target still rings when the caller hangs up.
        simulator.setTiming(new Timing(Duration.ofMillis(400), Duration.ofSeconds(60)));
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "warm")).then().statusCode(200);
        awaitTarget(s, "ringing");
        Await.until(Duration.ofSeconds(5), () -> !liveConferencesOf(live).isEmpty(), "the caller on hold");
        simulator.hangUp(live.sid);
        awaitNothingLive(s, live);
        // Ended by the service: the conference's end alone would have let it ring, and answer into nothing.
        assertThat(targets(s)).singleElement().extracting(SimulatedCall::status).isEqualTo("canceled");
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason"))
                .isEqualTo("participant-with-end-conference-on-exit-left");
    }

    @Test
    void aBusyTargetReturnsTheCallerToTheAgentAndAnotherTransferMayFollow() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "warm", "to", designated('1'))).then().statusCode(200);
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("busy");
        // The agent's own TwiML again, as the call first ran it; the conference ended with the caller's leaving.
        Await.until(Duration.ofSeconds(5), () -> twimlOf(live.sid).size() == 3, "the caller given its agent back");
        assertThat(twimlOf(live.sid).get(2)).isEqualTo(twimlOf(live.sid).get(0));
        Await.until(Duration.ofSeconds(5), () -> liveConferencesOf(live).isEmpty(), "the conference to end");
        assertThat(simulator.call(live.sid).orElseThrow().status()).isEqualTo("in-progress");

        transfer(s, live, Map.of("mode", "warm")).then().statusCode(200).body("transferStatus", equalTo("dialing"));
        awaitTransfer(s, live, "connected");
        hangUpCaller(s, live);
    }

    @Test
    void anUnansweredTargetEndsTheCallWhenAskedToAndARejectingOneReturnsTheCallerToTheAgent() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "warm", "to", designated('2'), "onFailure", "hangup")).then()
                .statusCode(200);
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason")).isEqualTo("no-answer");
        awaitNothingLive(s, live);
        assertThat(twimlOf(live.sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Say>"
                + TransferTwiml.FAILED_MESSAGE + "</Say><Hangup/></Response>");

        var rejected = ring(s);
        transfer(s, rejected, Map.of("mode", "warm", "to", designated('3'))).then().statusCode(200);
        awaitTransfer(s, rejected, "failed");
        assertThat(call(s, rejected).getString("transferReason")).isEqualTo("failed");
        Await.until(Duration.ofSeconds(5), () -> twimlOf(rejected.sid).size() == 3, "the caller given back");
        assertThat(twimlOf(rejected.sid).get(2)).isEqualTo(twimlOf(rejected.sid).get(0));
        hangUpCaller(s, rejected);
    }

    @Test
    void theTargetHangingUpDuringTheBriefingReturnsTheCallerToTheAgent() {
        // Slow steps: the briefing lasts a step, in which the target hangs up.
        simulator.setTiming(new Timing(Duration.ofMillis(400), Duration.ofSeconds(60)));
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "warm", "announcement", ANNOUNCEMENT)).then().statusCode(200);
        SimulatedCall target = awaitTarget(s, "in-progress");
        Await.until(Duration.ofSeconds(5), () -> !twimlOf(target.sid()).isEmpty(), "the briefing to start");
        assertThat(call(s, live).getString("transferStatus")).isEqualTo("dialing");
        simulator.hangUp(target.sid());
        awaitTransfer(s, live, "failed");
        assertThat(call(s, live).getString("transferReason"))
                .isEqualTo("participant-with-end-conference-on-exit-left");
        Await.until(Duration.ofSeconds(5), () -> twimlOf(live.sid).size() == 3, "the caller given back");
        assertThat(twimlOf(live.sid).get(2)).isEqualTo(twimlOf(live.sid).get(0));
        assertThat(liveConferencesOf(live)).isEmpty();
        hangUpCaller(s, live);
    }

    @Test
    void theCallerHangingUpAfterTheJoinEndsTheTargetToo() {
        var s = setUp(true, true);
        var live = ring(s);
        transfer(s, live, Map.of("mode", "warm")).then().statusCode(200);
        awaitTransfer(s, live, "connected");
        SimulatedCall target = awaitTarget(s, "in-progress");
        simulator.hangUp(live.sid);
        awaitNothingLive(s, live);
        assertThat(simulator.call(target.sid()).orElseThrow().status()).isEqualTo("completed");
        assertThat(call(s, live).getString("transferStatus")).isEqualTo("connected");
    }

    @Test
    void theTransferCallActionPlacesAWarmTransferByTheCallSid() {
        var s = setUp(true, true);
        var live = ring(s);
        Api.as(s.org).body(Map.of("action", "transferCall", "arguments",
                Map.of("callSid", live.sid, "to", s.transferNumber, "mode", "warm"))).post("/v1/actions").then()
                .statusCode(200).body("action", equalTo("transferCall"))
                .body("result.transferredTo", equalTo(s.transferNumber));
        assertThat(participantCreates(live)).hasSize(1);
        awaitTransfer(s, live, "connected");
        // A refused mode is an error of the answer naming the argument, and places nothing more.
        Api.as(s.org).body(Map.of("action", "transferCall", "arguments",
                Map.of("callSid", live.sid, "to", s.transferNumber, "mode", "hot"))).post("/v1/actions").then()
                .statusCode(200).body("error.code", equalTo("invalid_arguments"));
        assertThat(participantCreates(live)).hasSize(1);
        hangUpCaller(s, live);
    }

    // --- refusals ---------------------------------------------------------------------------------------------------

    @Test
    void aTargetTwilioRefusesIs422WithTwiliosCodeAndTheCallerStaysWithTheAgent() {
        var s = setUp(true, true);
        var live = ring(s);
        // +1 500 555 0003: outside the account's geographic permissions.
        transfer(s, live, Map.of("mode", "warm", "to", "+15005550003")).then().statusCode(422)
                .body("error", equalTo("twilio_rejected")).body("message", containsString("21215"));
        JsonPath after = call(s, live);
        assertThat(after.getString("transferStatus")).isEqualTo("failed");
        assertThat(after.getString("transferReason")).isEqualTo("21215");
        assertThat(redirects(live.sid)).isZero();
        assertThat(liveConferencesOf(live)).isEmpty();
        assertThat(simulator.call(live.sid).orElseThrow().status()).isEqualTo("in-progress");
        // The refused transfer is over: another is placed.
        transfer(s, live, Map.of("mode", "warm")).then().statusCode(200);
        hangUpCaller(s, live);
    }

    @Test
    void twoConcurrentWarmTransfersArePlacedOnceAndAThirdIs409() throws Exception {
        var s = setUp(true, true);
        var live = ring(s);
        var statuses = new ArrayList<CompletableFuture<Integer>>();
        for (int i = 0; i < 2; i++) {
            statuses.add(CompletableFuture.supplyAsync(() -> transfer(s, live, Map.of("mode", "warm")).statusCode()));
        }
        var answered = new ArrayList<Integer>();
        for (var status : statuses) {
            answered.add(status.get());
        }
        assertThat(answered).containsExactlyInAnyOrder(200, 409);
        assertThat(participantCreates(live)).hasSize(1);
        assertThat(redirects(live.sid)).isEqualTo(1);
        transfer(s, live, Map.of("mode", "warm")).then().statusCode(409).body("error", equalTo("transfer_in_progress"));
        assertThat(participantCreates(live)).hasSize(1);
        hangUpCaller(s, live);
    }

    @Test
    void transfersOffIs422AnEndedCallIs409AndBadRequestsAre400() {
        var off = setUp(false, true);
        var offCall = ring(off);
        transfer(off, offCall, Map.of("mode", "warm")).then().statusCode(422)
                .body("error", equalTo("transfers_disabled"));
        assertThat(participantCreates(offCall)).isEmpty();
        hangUpCaller(off, offCall);

        var s = setUp(true, true);
        var live = ring(s);
        for (var bad : List.of(Map.of("mode", "tepid"), Map.of("mode", "warm", "to", "5551234"),
                Map.of("mode", "warm", "announcement", " "), Map.of("mode", "warm", "onFailure", "retry"))) {
            transfer(s, live, bad).then().statusCode(400).body("details.field", hasItems(
                    bad.containsKey("to") ? "to" : bad.containsKey("announcement") ? "announcement"
                            : bad.containsKey("onFailure") ? "onFailure" : "mode"));
        }
        assertThat(participantCreates(live)).isEmpty();
        hangUpCaller(s, live);
        Await.until(Duration.ofSeconds(10), () -> "completed".equals(call(s, live).getString("status")), "ended");
        transfer(s, live, Map.of("mode", "warm")).then().statusCode(409).body("error", equalTo("call_not_in_progress"));
        assertThat(participantCreates(live)).isEmpty();
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private static final class Setup {
        final Api.Org org;
        final SimAccount account;
        final String number;
        final String transferNumber;
        String agentId;

        Setup(Api.Org org, SimAccount account, String number, String transferNumber) {
            this.org = org;
            this.account = account;
            this.number = number;
            this.transferNumber = transferNumber;
        }
    }

    private record Live(String id, String sid) {
    }

    private Setup setUp(boolean transfersEnabled, boolean withTransferNumber) {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 1);
        String providerId = ControlledCalls.provider(org, account, transfersEnabled);
        var s = new Setup(org, account, account.numbers().get(0), SimAccount.randomNumber());
        var body = new HashMap<String, Object>(Map.of("name", "Desk", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        if (withTransferNumber) {
            body.put("transferNumber", s.transferNumber);
        }
        s.agentId = Api.as(org).body(body).post("/v1/agents").then().statusCode(201).extract().path("id");
        Api.as(org).body(Map.of("number", s.number, "providerId", providerId, "agentId", s.agentId))
                .post("/v1/phone-numbers").then().statusCode(201);
        Await.until(Duration.ofSeconds(5), () -> routing.find(s.number)
                .map(r -> r.agent() != null && r.agent().id().toString().equals(s.agentId)).orElse(false),
                "the number routed to its agent");
        return s;
    }

    /** A caller rings the number and the agent has the call. */
    private Live ring(Setup s) {
        var call = ControlledCalls.ring(simulator, s.org, s.number, CALLER);
        return new Live(call.id(), call.sid());
    }

    private static io.restassured.response.Response transfer(Setup s, Live live, Map<?, ?> body) {
        return Api.as(s.org).body(body).post("/v1/calls/" + live.id + "/transfer");
    }

    private static JsonPath call(Setup s, Live live) {
        return Api.as(s.org).get("/v1/calls/" + live.id).then().statusCode(200).extract().jsonPath();
    }

    private static void awaitTransfer(Setup s, Live live, String status) {
        Await.until(Duration.ofSeconds(10), () -> status.equals(call(s, live).getString("transferStatus")),
                "the transfer " + status);
    }

    /** The calls the simulator placed to the setup's targets. */
    private List<SimulatedCall> targets(Setup s) {
        return simulator.calls().stream().filter(c -> c.direction().equals("outbound-api")
                && c.from().equals(s.number)).toList();
    }

    private SimulatedCall awaitTarget(Setup s, String status) {
        Await.until(Duration.ofSeconds(10), () -> targets(s).stream().anyMatch(c -> status.equals(c.status())),
                "the target's leg " + status);
        return targets(s).stream().filter(c -> status.equals(c.status())).findFirst().orElseThrow();
    }

    private List<io.switchboard.simulator.SimulatedConference> liveConferencesOf(Live live) {
        return simulator.liveConferences().stream()
                .filter(c -> c.friendlyName().equals(TransferTwiml.conferenceName(live.id))).toList();
    }

    /** The caller's leg, every target leg and the call's conference have ended. */
    private void awaitNothingLive(Setup s, Live live) {
        Await.until(Duration.ofSeconds(10), () -> simulator.liveCalls().stream().noneMatch(c -> c.sid()
                .equals(live.sid) || c.from().equals(s.number)) && liveConferencesOf(live).isEmpty(),
                "the call, its target and its conference to end");
    }

    private void hangUpCaller(Setup s, Live live) {
        simulator.hangUp(live.sid);
        awaitNothingLive(s, live);
    }

    private List<Recorded.Request> participantCreates(Live live) {
        return simulator.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().endsWith("/Conferences/" + TransferTwiml.conferenceName(live.id) + "/Participants.json"))
                .toList();
    }

    private long redirects(String sid) {
        return simulator.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().endsWith("/Calls/" + sid + ".json") && r.params().containsKey("Twiml")).count();
    }

    private List<String> twimlOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).map(Recorded.Twiml::body).toList();
    }

    /** A designated test number: 1 busy, 2 no answer, 3 failed ({@code CallOutcomes} of the simulator). */
    private static String designated(char outcome) {
        return "+1500555" + outcome + String.format("%03d", NEXT.getAndIncrement() % 1000);
    }

    /** As the TwiML writes a URL in an attribute: the {@code &} of its connection overrides escaped. */
    private static String xml(String url) {
        return url.replace("&", "&amp;");
    }
}
