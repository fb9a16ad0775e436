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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conferences as a warm transfer uses them: a live call moved into one by {@code <Dial><Conference>}, a participant
 * dialed in over REST, hold and announcements, the conference's and the participant's status callbacks, the end of
 * the conference when a participant that ends it leaves, and nothing live afterwards.
 */
@QuarkusTest
class SimulatorConferenceTest {

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
    void aCallerWaitsUntilTheDialedTargetJoinsIsHeldWhileTheTargetHearsAnAnnouncementAndTheTargetLeavingEndsIt() {
        String caller = liveCall();
        moveIntoConference(caller, "room-1").then().statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> conferenceEvents("room-1").contains("participant-join"),
                "the caller in");
        var waiting = simulator.liveConferences();
        assertThat(waiting).singleElement().satisfies(c -> {
            assertThat(c.friendlyName()).isEqualTo("room-1");
            // The caller does not start the conference: it waits, hearing the wait music.
            assertThat(c.status()).isEqualTo("init");
            assertThat(c.participants()).containsEntry(caller, "connected");
        });

        String participants = API + "/Conferences/room-1/Participants.json";
        var created = asAccount().formParam("From", NUMBER).formParam("To", "+14155550888")
                .formParam("StatusCallback", hooks + "/callback/participant")
                .formParam("StatusCallbackEvent", "initiated").formParam("StatusCallbackEvent", "ringing")
                .formParam("StatusCallbackEvent", "answered").formParam("StatusCallbackEvent", "completed")
                .formParam("EndConferenceOnExit", "true").formParam("Timeout", "30").post(participants).then()
                .statusCode(201).extract().jsonPath();
        String target = created.getString("call_sid");
        String conference = created.getString("conference_sid");
        assertThat(conference).isEqualTo(waiting.get(0).sid());
        Await.until(Duration.ofSeconds(5), () -> conferenceEvents("room-1").contains("conference-start"), "the start");
        assertThat(simulator.liveConferences()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("in-progress");
            assertThat(c.participants()).containsEntry(target, "connected");
        });

        String callerParticipant = API + "/Conferences/" + conference + "/Participants/" + caller + ".json";
        asAccount().formParam("Hold", "true").formParam("HoldUrl", "https://example.com/hold.mp3")
                .post(callerParticipant).then().statusCode(200).body("hold", equalTo(true));
        assertThat(simulator.liveConferences().get(0).participants()).containsEntry(caller, "held");
        String targetParticipant = API + "/Conferences/" + conference + "/Participants/" + target + ".json";
        asAccount().formParam("AnnounceUrl", hooks + "/twiml/announce").post(targetParticipant).then()
                .statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> conferenceEvents("room-1").contains("announcement-end"),
                "the briefing");
        assertThat(received.named("twiml/announce")).singleElement().satisfies(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("CallSid")).isEqualTo(target);
            assertThat(r.param("ConferenceSid")).isEqualTo(conference);
        });
        asAccount().formParam("Hold", "false").post(callerParticipant).then().statusCode(200)
                .body("hold", equalTo(false));

        // The target hangs up: it ends the conference, the caller's action is asked for and its TwiML runs out.
        simulator.hangUp(target);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "every call to end");
        assertThat(simulator.liveConferences()).isEmpty();
        assertThat(conferenceEvents("room-1")).containsExactly("participant-join", "participant-join",
                "conference-start",
                "participant-hold", "announcement-end", "participant-unhold", "participant-leave",
                "participant-leave", "conference-end");
        var end = conferenceCallbacks("room-1").get(8);
        assertThat(end.param("ReasonConferenceEnded")).isEqualTo("participant-with-end-conference-on-exit-left");
        assertThat(end.param("CallSidEndingConference")).isEqualTo(target);
        assertThat(conferenceCallbacks("room-1")).allSatisfy(r -> {
            assertThat(r.signedWith(TOKEN)).isTrue();
            assertThat(r.param("ConferenceSid")).isEqualTo(conference);
            assertThat(r.param("FriendlyName")).isEqualTo("room-1");
        });
        assertThat(received.named("callback/participant")).filteredOn(r -> target.equals(r.param("CallSid")))
                .extracting(r -> r.param("CallStatus"))
                .containsExactly("initiated", "ringing", "in-progress", "completed");
        // Filtered by call: a call of an earlier test may still report.
        assertThat(received.named("twiml/conference-action")).filteredOn(r -> caller.equals(r.param("CallSid")))
                .singleElement().satisfies(r -> assertThat(r.param("CallStatus")).isEqualTo("in-progress"));
        assertThat(simulator.call(caller).orElseThrow().status()).isEqualTo("completed");
    }

    @Test
    void theCallerLeavingByNewTwimlOrHangingUpEndsTheConferenceButARingingParticipantIsLeftToItsCreator() {
        // Steps of 1.5 s, so that the target still rings well after the conference has ended, on a busy machine too.
        simulator.setTiming(new Timing(Duration.ofMillis(1500), Duration.ofSeconds(60)));
        String caller = liveCall();
        moveIntoConference(caller, "room-2").then().statusCode(200);
        String target = asAccount().formParam("From", NUMBER).formParam("To", "+14155550889")
                .post(API + "/Conferences/room-2/Participants.json").then().statusCode(201).extract()
                .path("call_sid");
        Await.until(Duration.ofSeconds(5), () -> "ringing".equals(simulator.call(target).orElseThrow().status()),
                "the target to ring");
        // New TwiML for the caller: it leaves the conference, which ends, without the dial's action.
        asAccount().formParam("Twiml", HOLD_OPEN).post(API + "/Calls/" + caller + ".json").then().statusCode(200);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveConferences().isEmpty(), "the conference to end");
        assertThat(simulator.call(target).orElseThrow().status()).isEqualTo("ringing");
        asAccount().formParam("Status", "completed").post(API + "/Calls/" + target + ".json").then()
                .statusCode(200).body("status", equalTo("canceled"));
        simulator.hangUp(caller);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveCalls().isEmpty(), "every call to end");
        assertThat(received.named("twiml/conference-action")).filteredOn(r -> caller.equals(r.param("CallSid")))
                .isEmpty();
        assertThat(simulator.conferences()).singleElement().extracting(SimulatedConference::reasonEnded)
                .isEqualTo("participant-with-end-conference-on-exit-left");
    }

    @Test
    void busyUnansweredFailedAndRefusedParticipantsNeverJoin() {
        String caller = liveCall();
        moveIntoConference(caller, "room-3").then().statusCode(200);
        String participants = API + "/Conferences/room-3/Participants.json";
        for (var target : new String[][] { { "+15005551002", "busy" }, { "+15005552002", "no-answer" },
            { "+15005553002", "failed" } }) {
            String sid = asAccount().formParam("From", NUMBER).formParam("To", target[0])
                    .formParam("StatusCallback", hooks + "/callback/unanswered").post(participants).then()
                    .statusCode(201).extract().path("call_sid");
            simulator.callFinished(sid).toCompletableFuture().join();
            assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo(target[1]);
        }
        assertThat(received.named("callback/unanswered")).extracting(r -> r.param("CallStatus"))
                .containsExactly("busy", "no-answer", "failed");
        // Refused synchronously, as a call create is: geographic permissions, and a From the account does not own.
        asAccount().formParam("From", NUMBER).formParam("To", "+15005550003").post(participants).then()
                .statusCode(400).body("code", equalTo(21215));
        asAccount().formParam("From", "+14155559999").formParam("To", "+14155550890").post(participants).then()
                .statusCode(400).body("code", equalTo(21210));
        assertThat(simulator.liveConferences()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo("init");
            assertThat(c.participants()).containsOnlyKeys(caller);
        });
        given().get("/sim/admin/conferences").then().statusCode(200).body("[0].friendlyName", equalTo("room-3"));
        String conference = simulator.liveConferences().get(0).sid();
        asAccount().formParam("Hold", "true").post(API + "/Conferences/" + conference + "/Participants/CA"
                + "0".repeat(32) + ".json").then().statusCode(404);
        simulator.hangUp(caller);
        Await.until(Duration.ofSeconds(5), () -> simulator.liveConferences().isEmpty()
                && simulator.liveCalls().isEmpty(), "nothing live");
        assertThat(simulator.conferences()).singleElement().extracting(SimulatedConference::reasonEnded)
                .isEqualTo("participant-with-end-conference-on-exit-left");
    }

    /** A call from the account's number answered with TwiML that holds it open. */
    private String liveCall() {
        String sid = asAccount().formParam("To", "+15105550123").formParam("From", NUMBER)
                .formParam("Twiml", HOLD_OPEN).post(API + "/Calls.json").then().statusCode(201).extract().path("sid");
        Await.until(Duration.ofSeconds(5), () -> simulator.call(sid).orElseThrow().status().equals("in-progress"),
                "the call answered");
        return sid;
    }

    private io.restassured.response.Response moveIntoConference(String sid, String name) {
        String twiml = "<Response><Dial action=\"" + hooks + "/twiml/conference-action\"><Conference"
                + " startConferenceOnEnter=\"false\" endConferenceOnExit=\"true\" statusCallback=\"" + hooks
                + "/callback/conference\" statusCallbackEvent=\"start end join leave hold announcement\">" + name
                + "</Conference></Dial></Response>";
        return asAccount().formParam("Twiml", twiml).post(API + "/Calls/" + sid + ".json");
    }

    /** The events of the test's own conference: a conference of an earlier test may still report. */
    private List<String> conferenceEvents(String name) {
        return conferenceCallbacks(name).stream().map(r -> r.param("StatusCallbackEvent")).toList();
    }

    private List<ReceivedWebhooks.Received> conferenceCallbacks(String name) {
        return received.named("callback/conference").stream().filter(r -> name.equals(r.param("FriendlyName")))
                .toList();
    }
}
