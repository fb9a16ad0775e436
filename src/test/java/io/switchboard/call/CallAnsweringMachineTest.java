package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.Timing;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answering machine detection per batch against the simulator's machine numbers (+1 500 555 4xxx): Twilio's
 * asynchronous AMD parameters on the create, AnsweredBy recorded from its callback, a machine hung up on or left the
 * voicemail, and {@code machine} as a retry outcome.
 */
@QuarkusTest
class CallAnsweringMachineTest {

    private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 900));

    @Inject
    TwilioSimulator simulator;

    private Timing timing;

    /** Calls that talk long enough for the detection's answer to reach them live. */
    @BeforeEach
    void longCalls() {
        timing = simulator.timing();
        simulator.setTiming(new Timing(timing.step(), Duration.ofSeconds(4)));
    }

    @AfterEach
    void restore() {
        simulator.setTiming(timing);
    }

    @Test
    void aMachineIsHungUpOnAndTheResultRecordedOnce() {
        var c = connected();
        String machine = machine();
        String batchId = create(c, List.of(machine), Map.of("machineDetection", "hangup"));
        JsonPath call = awaitEnded(c, batchId);
        String callId = call.getString("items[0].id");
        String sid = call.getString("items[0].sid");
        assertThat(call.getString("items[0].status")).isEqualTo("completed");
        assertThat(call.getString("items[0].answeredBy")).isEqualTo("machine_start");

        var create = createRequest(c, machine);
        assertThat(create.params().get("MachineDetection")).containsExactly("Enable");
        assertThat(create.params().get("AsyncAmd")).containsExactly("true");
        // With the connection overrides every webhook URL carries.
        assertThat(create.params().get("AsyncAmdStatusCallback").get(0))
                .startsWith(SignedWebhook.base() + "/twilio/voice/amd?callId=" + callId + "#");
        assertThat(create.params().get("AsyncAmdStatusCallbackMethod")).containsExactly("POST");
        assertThat(hangUps(c, sid)).isEqualTo(1);
        // Ended by the hang-up, well before the four seconds it would have talked.
        assertThat(simulator.call(sid).orElseThrow().durationSeconds()).isLessThanOrEqualTo(2);

        // A redelivered result changes nothing and hangs up nothing more.
        var amd = simulator.callbacks(sid).stream().filter(cb -> cb.kind().equals("amd")).findFirst().orElseThrow();
        var again = new HashMap<>(amd.params());
        again.put("AnsweredBy", List.of("human"));
        SignedWebhook.postSignedFor(amd.url(), again, c.account().authToken()).then().statusCode(204);
        assertThat(hangUps(c, sid)).isEqualTo(1);
        assertThat(calls(c, batchId).getString("items[0].answeredBy")).isEqualTo("machine_start");
    }

    @Test
    void aPersonIsLeftToTheAgent() {
        var c = connected();
        String batchId = create(c, List.of(SimAccount.randomNumber()), Map.of("machineDetection", "hangup"));
        Await.until(Duration.ofSeconds(10), () -> "human".equals(calls(c, batchId).getString("items[0].answeredBy")),
                "the detection's answer recorded");
        String sid = calls(c, batchId).getString("items[0].sid");
        assertThat(hangUps(c, sid)).isZero();
        assertThat(simulator.call(sid).orElseThrow().status()).isEqualTo("in-progress");
    }

    @Test
    void withDetectionOffNothingIsAskedOfTwilio() {
        var c = connected();
        String target = machine();
        String batchId = create(c, List.of(target), Map.of("machineDetection", "off"));
        Await.until(Duration.ofSeconds(10), () -> calls(c, batchId).getString("items[0].sid") != null, "placed");
        var create = createRequest(c, target);
        assertThat(create.params()).doesNotContainKeys("MachineDetection", "AsyncAmd", "AsyncAmdStatusCallback");
    }

    @Test
    void aMessageIsLeftAfterTheBeep() {
        var c = connected();
        String machine = machine();
        String batchId = create(c, List.of(machine),
                Map.of("machineDetection", "message", "voicemail", Map.of("say", "Hi <Ada> & co, call us back")));
        JsonPath call = awaitEnded(c, batchId);
        String sid = call.getString("items[0].sid");
        assertThat(call.getString("items[0].answeredBy")).isEqualTo("machine_end_beep");
        assertThat(createRequest(c, machine).params().get("MachineDetection")).containsExactly("DetectMessageEnd");
        assertThat(twimlOf(sid)).hasSize(2).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Response><Say>Hi &lt;Ada&gt; &amp; co, call us back</Say><Hangup/></Response>");
        assertThat(hangUps(c, sid)).isZero();
    }

    @Test
    void aRecordedMessageIsPlayed() {
        var c = connected();
        String batchId = create(c, List.of(machine()), Map.of("machineDetection", "message", "voicemail",
                Map.of("play", "https://media.example.com/message.mp3")));
        String sid = awaitEnded(c, batchId).getString("items[0].sid");
        assertThat(twimlOf(sid)).last().isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<Response><Play>https://media.example.com/message.mp3</Play><Hangup/></Response>");
    }

    @Test
    void withoutAVoicemailTheAgentIsConnectedAgainToldItIsAMachine() {
        var c = connected();
        String batchId = create(c, List.of(machine()), Map.of("machineDetection", "message"));
        Await.until(Duration.ofSeconds(10), () -> {
            String sid = calls(c, batchId).getString("items[0].sid");
            return sid != null && twimlOf(sid).size() == 2;
        }, "the agent's TwiML run again");
        String sid = calls(c, batchId).getString("items[0].sid");
        assertThat(twimlOf(sid).get(0)).doesNotContain("answeredBy");
        assertThat(twimlOf(sid).get(1)).contains("<Parameter name=\"answeredBy\" value=\"machine_end_beep\"/>")
                .contains("<Stream");
    }

    @Test
    void aMachineIsARetryOutcome() {
        var c = connected();
        String machine = machine();
        String batchId = create(c, List.of(machine), Map.of("machineDetection", "hangup",
                "retry", Map.of("on", List.of("machine"), "maxAttempts", 2, "after", "PT0S")));
        Await.until(Duration.ofSeconds(20), () -> {
            var items = calls(c, batchId).getList("items.status", String.class);
            return items.size() == 2 && items.stream().allMatch(CallStatuses::isTerminal);
        }, "two attempts, both ended");
        var calls = calls(c, batchId);
        assertThat(calls.getList("items.attempt")).containsExactly(1, 2);
        assertThat(calls.getList("items.answeredBy")).containsExactly("machine_start", "machine_start");
    }

    @Test
    void badDetectionSettingsAreA400NamingTheField() {
        var c = connected();
        String agentId = agent(c);
        var cases = List.of(
                Map.of("machineDetection", "sometimes"), "machineDetection",
                Map.of("machineDetection", "hangup", "voicemail", Map.of("say", "hi")), "voicemail",
                Map.of("voicemail", Map.of("say", "hi")), "voicemail",
                Map.of("machineDetection", "message", "voicemail", Map.of("say", "hi", "play", "https://a.example/x")),
                "voicemail",
                Map.of("machineDetection", "message", "voicemail", Map.of()), "voicemail",
                Map.of("machineDetection", "message", "voicemail", Map.of("say", " ")), "voicemail.say",
                Map.of("machineDetection", "message", "voicemail", Map.of("say", "x".repeat(1001))), "voicemail.say",
                Map.of("machineDetection", "message", "voicemail", Map.of("play", "http://a.example/x.mp3")),
                "voicemail.play",
                Map.of("machineDetection", "message", "voicemail", Map.of("play", "not a url")), "voicemail.play");
        for (int i = 0; i < cases.size(); i += 2) {
            @SuppressWarnings("unchecked")
            var body = new HashMap<String, Object>((Map<String, Object>) cases.get(i));
            body.put("agentId", agentId);
            body.put("targetNumbers", List.of(SimAccount.randomNumber()));
            Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(400)
                    .body("details.field", hasItems(cases.get(i + 1)));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------------------

    private Connected connected() {
        return Connected.create(simulator, 1);
    }

    private static String machine() {
        return "+15005554" + String.format("%03d", NEXT.getAndIncrement() % 1000);
    }

    private static String agent(Connected c) {
        return c.createAgent(Map.of("name", "Caller", "routing",
                Map.of("type", "stream", "url", "wss://agents.example.com/media")));
    }

    private static String create(Connected c, List<String> targets, Map<String, Object> extra) {
        String agentId = agent(c);
        c.importNumber(0, agentId);
        var body = new HashMap<String, Object>(extra);
        body.put("agentId", agentId);
        body.put("targetNumbers", targets);
        return Api.as(c.org()).body(body).post("/v1/calls").then().statusCode(202).extract().path("batchId");
    }

    private static JsonPath calls(Connected c, String batchId) {
        return Api.as(c.org()).get("/v1/calls?order=asc&batchId=" + batchId).then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath awaitEnded(Connected c, String batchId) {
        Await.until(Duration.ofSeconds(15), () -> {
            var call = calls(c, batchId);
            return CallStatuses.isTerminal(call.getString("items[0].status"))
                    && call.getString("items[0].answeredBy") != null;
        }, "the call ended with the detection's answer recorded");
        return calls(c, batchId);
    }

    private Recorded.Request createRequest(Connected c, String to) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().endsWith("/Calls.json")
                        && c.account().accountSid().equals(r.accountSid()) && to.equals(r.params().get("To").get(0)))
                .findFirst().orElseThrow();
    }

    private long hangUps(Connected c, String sid) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().endsWith("/Calls/" + sid + ".json")
                        && r.params().containsKey("Status") && "completed".equals(r.params().get("Status").get(0)))
                .count();
    }

    private List<String> twimlOf(String sid) {
        return simulator.twiml().stream().filter(t -> sid.equals(t.sid())).map(Recorded.Twiml::body).toList();
    }
}
