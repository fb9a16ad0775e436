package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Await;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SIP agent's REFER, as Twilio handles one (https://www.twilio.com/docs/voice/api/refer-to-twilio): the
 * {@code <Dial referUrl>} requested signed with {@code ReferTransferTarget} and the REFER's headers, its TwiML run on
 * the caller's leg in place of the agent's (whose action is never requested), a failed fetch keeping the caller with
 * the agent under {@code answerOnBridge} and dropping it without, and no leg left once the caller hangs up.
 */
@QuarkusTest
class SimulatorReferTest {

    @Inject
    TwilioSimulator simulator;
    @Inject
    ReceivedWebhooks received;

    @TestHTTPResource("/test-hooks")
    URL hooks;

    @BeforeEach
    void reset() {
        simulator.reset();
        received.clear();
        simulator.setTiming(new Timing(Duration.ofMillis(30), Duration.ofSeconds(60)));
    }

    @AfterEach
    void restore() {
        simulator.reset();
    }

    @Test
    void anAcceptedReferRunsTheReferUrlsTwimlOnTheCallersLegAndEndsTheAgentsLeg() {
        String sid = sipAgentCall("refer-dial", true);
        given().contentType("application/json")
                .body(Map.of("referTo", "<sip:+14155550777@pbx.example.com>", "headers", Map.of("X-Reason", "billing")))
                .post("/sim/admin/calls/" + sid + "/refer").then().statusCode(200)
                .body("accepted", equalTo(true)).body("status", equalTo(200));

        var refer = received.named("twiml/refer-dial");
        assertThat(refer).hasSize(1);
        assertThat(refer.get(0).param("CallSid")).isEqualTo(sid);
        assertThat(refer.get(0).param("ReferTransferTarget")).isEqualTo("<sip:+14155550777@pbx.example.com>");
        assertThat(refer.get(0).param("SipHeader_X-Reason")).isEqualTo("billing");
        assertThat(refer.get(0).signedWith(TOKEN)).isTrue();
        Await.until(Duration.ofSeconds(5), () -> simulator.dialLegs(sid).stream()
                .anyMatch(leg -> "in-progress".equals(leg.status()) && "+14155550777".equals(leg.to())),
                "the REFER's target to answer");
        // The agent's leg ended for the REFER, not on its own: its verb's action is never requested.
        assertThat(received.named("twiml/agent-action")).isEmpty();
        // The agent's leg is gone: a second REFER finds no SIP agent holding the call.
        given().contentType("application/json").body(Map.of("referTo", "sip:other@pbx.example.com"))
                .post("/sim/admin/calls/" + sid + "/refer").then().statusCode(409).body("code", equalTo(13801));

        given().post("/sim/admin/calls/" + sid + "/hangup").then().statusCode(204);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "every leg to end");
        assertThat(simulator.dialLegs(sid)).singleElement().extracting(SimulatedCall::status).isEqualTo("completed");
    }

    @Test
    void aRefusedReferKeepsTheCallerWithTheAgentUnderAnswerOnBridge() {
        String sid = sipAgentCall("refuse", true);
        given().contentType("application/json").body(Map.of("referTo", "sip:desk@pbx.example.com"))
                .post("/sim/admin/calls/" + sid + "/refer").then().statusCode(200)
                .body("accepted", equalTo(false)).body("status", equalTo(403));
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");
        assertThat(simulator.dialLegs(sid)).isEmpty();
        // The agent still has the call: it can end its side, and the dial's action is requested as usual.
        assertThat(simulator.endAgentLeg(sid)).isTrue();
        Await.until(Duration.ofSeconds(5), () -> !received.named("twiml/agent-action").isEmpty(), "the action");
        assertThat(received.named("twiml/agent-action").get(0).param("DialCallStatus")).isEqualTo("completed");
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "the call to end");
    }

    @Test
    void aRefusedReferWithoutAnswerOnBridgeDropsTheCaller() {
        String sid = sipAgentCall("refuse", false);
        given().contentType("application/json").body(Map.of("referTo", "sip:desk@pbx.example.com"))
                .post("/sim/admin/calls/" + sid + "/refer").then().statusCode(200)
                .body("accepted", equalTo(false));
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "the call to end");
        assertThat(received.named("twiml/agent-action")).isEmpty();
    }

    @Test
    void aDialWithoutReferUrlOrAnAgentThatIsNotSipTakesNoRefer() {
        String sid = call("<Response><Dial action=\"" + hooks + "/twiml/agent-action\"><Sip>sip:bot@agents.example.com"
                + "</Sip></Dial></Response>");
        given().contentType("application/json").body(Map.of("referTo", "sip:desk@pbx.example.com"))
                .post("/sim/admin/calls/" + sid + "/refer").then().statusCode(200)
                .body("accepted", equalTo(false)).body("alert", equalTo(13802));
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");

        String stream = call("<Response><Connect action=\"" + hooks + "/twiml/agent-action\"><Stream"
                + " url=\"wss://agent.example.com/m\"/></Connect></Response>", false);
        given().contentType("application/json").body(Map.of("referTo", "sip:desk@pbx.example.com"))
                .post("/sim/admin/calls/" + stream + "/refer").then().statusCode(409).body("code", equalTo(13801));
        given().contentType("application/json").body(Map.of())
                .post("/sim/admin/calls/" + stream + "/refer").then().statusCode(400);
        given().contentType("application/json").body(Map.of("referTo", "sip:desk@pbx.example.com"))
                .post("/sim/admin/calls/CA0000/refer").then().statusCode(404);
    }

    /** A call from the account's number held by a SIP agent whose dial has a referUrl. */
    private String sipAgentCall(String referHook, boolean answerOnBridge) {
        return call("<Response><Dial action=\"" + hooks + "/twiml/agent-action\""
                + (answerOnBridge ? " answerOnBridge=\"true\"" : "") + " referUrl=\"" + hooks + "/twiml/" + referHook
                + "\"><Sip>sip:bot@agents.example.com</Sip></Dial></Response>");
    }

    private String call(String twiml) {
        return call(twiml, true);
    }

    private String call(String twiml, boolean sipAgent) {
        String sid = asAccount().formParam("To", "+15105550123").formParam("From", NUMBER)
                .formParam("Twiml", twiml).post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        Await.until(Duration.ofSeconds(5), () -> simulator.call(sid).orElseThrow().status().equals("in-progress"),
                "the call answered");
        if (sipAgent) {
            // The TwiML runs once the call is answered: wait for the SIP agent's dial to hold the call.
            Await.until(Duration.ofSeconds(5), () -> simulator.heldBySipAgent(sid), "the SIP agent's leg");
        }
        return sid;
    }
}
