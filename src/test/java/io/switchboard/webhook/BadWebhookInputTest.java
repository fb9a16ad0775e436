package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.LogCapture;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.xml.sax.InputSource;

/**
 * Signed webhooks carrying what no Twilio webhook carries, from a black-box fuzz pass: never a 5xx (Twilio would
 * retry what can never succeed), a callback that cannot be stored is a 400, an answer to a call is a document an XML
 * parser reads, and nothing sent can forge a log line.
 */
@QuarkusTest
class BadWebhookInputTest {

    private static final String CALLER = "+15105550123";
    private static final String LONG = "CA" + "0".repeat(3_000);

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    Pool pool;

    @Test
    void aCallbackWhoseSidOrTokenCannotBeStoredIsA400() {
        var c = Connected.create(simulator, 1);
        String token = c.account().authToken();
        for (String path : List.of("/twilio/voice/status", "/twilio/voice/recording")) {
            for (String sid : List.of("CA\u0000" + SimAccount.hex(16), LONG, "CA1\r\nforged", "", " ")) {
                assertThat(callStatus(c, path, sid, "completed", null).statusCode()).as(path + " " + sid.length())
                        .isEqualTo(400);
            }
            String sid = "CA" + SimAccount.hex(16);
            assertThat(callStatus(c, path, sid, "completed", "t".repeat(3_000)).statusCode()).isEqualTo(400);
            assertThat(callStatus(c, path, sid, "completed", "token-" + sid).statusCode()).isEqualTo(204);
        }
        for (String path : List.of("/twilio/messaging/status", "/twilio/messaging/inbound")) {
            for (String sid : List.of("SM\u0000" + SimAccount.hex(16), "SM" + "0".repeat(3_000), "SM1\nforged")) {
                var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid", sid,
                        "MessageStatus", "delivered", "From", SimAccount.randomNumber(), "To", c.number(0),
                        "Body", "hi");
                assertThat(SignedWebhook.post(path, params, token).statusCode()).as(path).isEqualTo(400);
            }
            var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid",
                    "SM" + SimAccount.hex(16), "MessageStatus", "delivered", "From", SimAccount.randomNumber(),
                    "To", c.number(0), "Body", "hi");
            assertThat(SignedWebhook.post(path, params, token, "x".repeat(3_000)).statusCode()).isEqualTo(400);
        }
        // An SMS from a sender no index entry holds (an opt-out is keyed on it) is refused, not retried for ever.
        var stop = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid",
                "SM" + SimAccount.hex(16), "From", "+1" + "5".repeat(3_000), "To", c.number(0), "Body", "STOP");
        assertThat(SignedWebhook.post("/twilio/messaging/inbound", stop, token).statusCode()).isEqualTo(400);
    }

    @Test
    void aNulOrAnOverlongValueElsewhereInACallbackIsStoredWithoutIt() {
        var c = Connected.create(simulator, 1);
        String sid = "CA" + SimAccount.hex(16);
        // No idempotency token: the dedupe key is made of the sid and the status, which carry what was sent.
        assertThat(callStatus(c, "/twilio/voice/status", sid, "ring\u0000ing", null).statusCode()).isEqualTo(204);
        assertThat(callStatus(c, "/twilio/voice/status", sid, "s".repeat(3_000), null).statusCode()).isEqualTo(204);
        assertThat(callStatus(c, "/twilio/voice/status", sid, "s".repeat(3_000), null).statusCode()).isEqualTo(204);
        assertThat(callStatus(c, "/twilio/voice/status", sid, "s".repeat(2_999) + "t", null).statusCode())
                .isEqualTo(204);
        var recording = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid,
                "RecordingSid", "RE\u0000" + "1".repeat(3_000), "RecordingStatus", "completed");
        assertThat(SignedWebhook.post("/twilio/voice/recording", recording, c.account().authToken()).statusCode())
                .isEqualTo(204);
        var message = SignedWebhook.params("AccountSid", c.account().accountSid(), "MessageSid",
                "SM" + SimAccount.hex(16), "MessageStatus", "deliv\u0000ered" + "d".repeat(3_000), "ErrorCode",
                "3\u00000");
        assertThat(SignedWebhook.post("/twilio/messaging/status", message, c.account().authToken()).statusCode())
                .isEqualTo(204);
        // Stored once each: the two identical over-long statuses share one bounded key, the third has its own.
        assertThat(count("select count(*) from communication_event where sid = $1", sid)).isEqualTo(4);
        assertThat(count("select max(length(dedupe_key)) from communication_event where sid = $1", sid))
                .isLessThanOrEqualTo(CallbackEvent.MAX_KEY);
        assertThat(count("select count(*) from communication_event where sid = $1 and status = 'ringing'", sid))
                .isEqualTo(1);
    }

    @Test
    void aSidThatWouldForgeALogLineIsLoggedOnOneLine() {
        var c = Connected.create(simulator, 1);
        try (var logs = LogCapture.start()) {
            assertThat(callStatus(c, "/twilio/voice/status", "CA1\r\nERROR forged line\u001b[2J", "completed", null)
                    .statusCode()).isEqualTo(400);
            Await.until(Duration.ofSeconds(5), () -> logs.lines().stream().anyMatch(l -> l.contains("forged line")),
                    "the refusal to be logged");
            assertThat(logs.lines()).filteredOn(l -> l.contains("forged line")).singleElement().satisfies(line -> {
                assertThat(line).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u001b")
                        .contains("CA1\\r\\nERROR forged line\\u001b[2J");
            });
        }
    }

    @Test
    void anInboundCallWithoutToIsAnsweredAsANumberNotImported() {
        var c = Connected.create(simulator, 1);
        var params = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        params.remove("To");
        var answer = SignedWebhook.post("/twilio/voice/inbound", params, c.account().authToken());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.contentType()).startsWith("text/xml");
        assertThat(answer.asString())
                .isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Reject/></Response>");
    }

    @Test
    void controlCharactersInAnInboundCallAreAnsweredWithValidTwiml() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0)).map(r -> r.agent() != null)
                .orElse(false), "the number to be routed to its agent");
        var params = SignedWebhook.inboundCall(c.account().accountSid(), "+1510\u0001555\u00000123\u001b",
                c.number(0));
        String sid = params.get("CallSid").get(0);
        params.put("CallSid", List.of(sid + "\u0007"));
        var answer = SignedWebhook.post("/twilio/voice/inbound", params, c.account().authToken());
        assertThat(answer.statusCode()).isEqualTo(200);
        var parameters = parameters(answer.asString());
        assertThat(parameters).containsEntry("callSid", sid + "\uFFFD")
                .containsEntry("from", "+1510\uFFFD555\uFFFD0123\uFFFD").containsEntry("to", c.number(0))
                .containsEntry("agentId", agentId);
    }

    private static Response callStatus(Connected c, String path, String sid, String status, String token) {
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid, "CallStatus",
                status, "RecordingStatus", status, "RecordingSid", "RE" + SimAccount.hex(16), "From", CALLER, "To",
                c.number(0), "Direction", "inbound");
        return SignedWebhook.post(path, params, c.account().authToken(), token);
    }

    private long count(String sql, String sid) {
        Long value = pool.preparedQuery(sql).execute(Tuple.of(sid)).await().indefinitely().iterator().next()
                .getLong(0);
        return value == null ? 0 : value;
    }

    /** The {@code <Parameter>}s of a stream answer, read by the JDK's XML parser, which refuses what XML forbids. */
    private static Map<String, String> parameters(String xml) {
        try {
            var nodes = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new InputSource(new StringReader(xml))).getElementsByTagName("Parameter");
            var parameters = new LinkedHashMap<String, String>();
            for (int i = 0; i < nodes.getLength(); i++) {
                var element = (Element) nodes.item(i);
                parameters.put(element.getAttribute("name"), element.getAttribute("value"));
            }
            return parameters;
        } catch (Exception e) {
            throw new AssertionError("not a well-formed XML document: " + xml, e);
        }
    }
}
