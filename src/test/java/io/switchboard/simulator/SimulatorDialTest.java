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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A live call redirected to a {@code <Dial>}: the target's leg as a child call, its status callbacks signed and naming
 * the parent, the dial's action with DialCallStatus once it ends, the action's TwiML run on the caller's leg, and no
 * leg left once a party hangs up.
 */
@QuarkusTest
class SimulatorDialTest {

    private static final String HOLD_OPEN = "<Response><Connect><Stream url=\"wss://agent.example.com/m\"/></Connect>"
            + "</Response>";

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
    void anAnsweredTargetTalksUntilItHangsUpThenTheActionsTwimlRuns() {
        String sid = liveCall();
        redirect(sid, "+14155550777").then().statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> simulator.dialLegs(sid).stream()
                .anyMatch(leg -> leg.status().equals("in-progress")), "the target to answer");
        var leg = simulator.dialLegs(sid).get(0);
        assertThat(leg.direction()).isEqualTo("outbound-dial");
        assertThat(leg.from()).isEqualTo("+15105550123");
        assertThat(leg.to()).isEqualTo("+14155550777");

        given().post("/sim/admin/calls/" + leg.sid() + "/hangup").then().statusCode(204);
        // The action answers <Say>: the document runs out and the caller's leg ends.
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "every leg to end");
        var action = received.named("twiml/dial-action");
        assertThat(action).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("CallSid")).isEqualTo(sid);
            assertThat(r.param("DialCallStatus")).isEqualTo("completed");
            assertThat(r.param("DialCallSid")).isEqualTo(leg.sid());
            assertThat(r.param("CallStatus")).isEqualTo("in-progress");
        });
        var statuses = received.named("callback/leg");
        assertThat(statuses).extracting(r -> r.param("CallStatus"))
                .containsExactly("initiated", "ringing", "in-progress", "completed");
        assertThat(statuses).allSatisfy(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("ParentCallSid")).isEqualTo(sid);
            assertThat(r.param("CallSid")).isEqualTo(leg.sid());
        });
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("completed");
    }

    @Test
    void busyUnansweredAndRefusedTargetsEndTheirDialsAsTwilioReportsThem() {
        for (var target : new String[][] { { "+15005551001", "busy" }, { "+15005552001", "no-answer" },
            { "+15005550003", "failed" } }) {
            received.clear();
            String sid = liveCall();
            redirect(sid, target[0]).then().statusCode(200);
            Await.until(Duration.ofSeconds(5), () -> !received.named("twiml/dial-action").isEmpty(), "the action");
            assertThat(received.named("twiml/dial-action").get(0).param("DialCallStatus")).isEqualTo(target[1]);
            assertThat(simulator.dialLegs(sid)).singleElement().extracting(SimulatedCall::status)
                    .isEqualTo(target[1]);
            Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "the call to end");
        }
    }

    @Test
    void theCallerHangingUpCancelsARingingTargetAndARedirectOfAnEndedCallIsRefused() {
        simulator.setTiming(new Timing(Duration.ofMillis(300), Duration.ofSeconds(60)));
        String sid = liveCall();
        redirect(sid, "+14155550778").then().statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> simulator.dialLegs(sid).stream()
                .anyMatch(leg -> leg.status().equals("ringing")), "the target to ring");
        given().post("/sim/admin/calls/" + sid + "/hangup").then().statusCode(204);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "every leg to end");
        assertThat(simulator.dialLegs(sid)).singleElement().extracting(SimulatedCall::status).isEqualTo("canceled");
        Await.until(Duration.ofSeconds(5), () -> !received.named("twiml/dial-action").isEmpty(), "the action");
        assertThat(received.named("twiml/dial-action").get(0).param("DialCallStatus")).isEqualTo("canceled");
        assertThat(received.named("twiml/dial-action").get(0).param("CallStatus")).isEqualTo("completed");

        redirect(sid, "+14155550778").then().statusCode(400).body("code", equalTo(21220));
    }

    /** A call from the account's number answered with TwiML that holds it open. */
    private String liveCall() {
        String sid = asAccount().formParam("To", "+15105550123").formParam("From", NUMBER)
                .formParam("Twiml", HOLD_OPEN).post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        Await.until(Duration.ofSeconds(5), () -> simulator.call(sid).orElseThrow().status().equals("in-progress"),
                "the call answered");
        return sid;
    }

    private io.restassured.response.Response redirect(String sid, String target) {
        String twiml = "<Response><Dial action=\"" + hooks + "/twiml/dial-action\" callerId=\"+15105550123\">"
                + "<Number statusCallback=\"" + hooks + "/callback/leg\""
                + " statusCallbackEvent=\"initiated ringing answered completed\">" + target + "</Number></Dial>"
                + "</Response>";
        return asAccount().formParam("Twiml", twiml).post(API + "/Calls/" + sid + ".json");
    }
}
