package io.switchboard.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.webhook.CallbackEvent;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Inbound calls whose webhook carries what no index entry can hold: answered, recorded cut to size, and never able
 * to stop the recording of the calls after them (one such call used to be retried at the head of the queue for ever).
 */
@QuarkusTest
class InboundCallPoisonTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    RoutingTable routing;

    @Inject
    InboundCallRecorder recorder;

    @Inject
    MeterRegistry metrics;

    @Inject
    Pool pool;

    @Test
    void anOverlongSidOrTokenIsRecordedCutToSizeAndTheCallsAfterItAreRecorded() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        c.importNumber(0, agentId);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0)).map(r -> r.agent() != null)
                .orElse(false), "the number to be routed to its agent");

        String longSid = "CA" + SimAccount.hex(16) + "0".repeat(3_000);
        var poison = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        poison.put("CallSid", List.of(longSid));
        assertThat(SignedWebhook.post("/twilio/voice/inbound", poison, c.account().authToken()).statusCode())
                .isEqualTo(200);
        var poisonToken = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        String tokenSid = poisonToken.get("CallSid").get(0);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", poisonToken, c.account().authToken(),
                "t".repeat(3_000)).statusCode()).isEqualTo(200);
        var poisonNul = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
        String nulSid = poisonNul.get("CallSid").get(0);
        poisonNul.put("CallSid", List.of(nulSid.substring(0, 10) + "\u0000" + nulSid.substring(10)));

        var sids = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            var call = SignedWebhook.inboundCall(c.account().accountSid(), CALLER, c.number(0));
            sids.add(call.get("CallSid").get(0));
            assertThat(SignedWebhook.post("/twilio/voice/inbound", call, c.account().authToken()).statusCode())
                    .isEqualTo(200);
        }
        assertThat(SignedWebhook.post("/twilio/voice/inbound", poisonNul, c.account().authToken()).statusCode())
                .isEqualTo(200);

        Await.until(Duration.ofSeconds(10), () -> sids.stream().allMatch(this::isRecorded),
                "every call after the poison ones to be recorded");
        assertThat(isRecorded(longSid.substring(0, CallbackEvent.MAX_SID))).isTrue();
        assertThat(isRecorded(tokenSid)).isTrue();
        Await.until(Duration.ofSeconds(10), () -> isRecorded(nulSid), "the call sent with a NUL to be recorded");
        assertThat(recorder.size()).isZero();
    }

    /**
     * A record the database refuses for what it carries (here an index entry too large, SQLSTATE 54000, as a record
     * not cut to size would be) is dropped and counted; it is not put back at the head of the queue.
     */
    @Test
    void aRecordTheDatabaseRefusesIsDroppedAndCountedNotRetried() {
        double refusedBefore = metrics.counter("switchboard.calls.inbound.refused").count();
        // Random, so that PostgreSQL cannot compress the index entry below its limit.
        recorder.enqueue(record("CA" + SimAccount.hex(1_500)), "poison", null);
        var sids = new ArrayList<String>();
        for (int i = 0; i < 20; i++) {
            String sid = "CA" + SimAccount.hex(16);
            sids.add(sid);
            recorder.enqueue(record(sid), sid, null);
        }
        Await.until(Duration.ofSeconds(10), () -> sids.stream().allMatch(this::hasEvent),
                "the records after the refused one to be written");
        Await.until(Duration.ofSeconds(5), () -> recorder.size() == 0, "the queue to drain");
        assertThat(metrics.counter("switchboard.calls.inbound.refused").count()).isEqualTo(refusedBefore + 1);
    }

    /** An event of a call to a number not imported: no call row, only the event, which the sid is indexed in. */
    private static InboundRecord record(String sid) {
        return new InboundRecord(sid, "ringing", OffsetDateTime.now(ZoneOffset.UTC), "CallSid=" + sid,
                "test|" + UUID.randomUUID(), null, CALLER, SimAccount.randomNumber(), null, null, "ringing",
                "AC" + SimAccount.hex(16));
    }

    private boolean isRecorded(String sid) {
        return count("select count(*) from call where sid = $1 and inbound_form like 'AccountSid=%'", sid) == 1;
    }

    private boolean hasEvent(String sid) {
        return count("select count(*) from communication_event where sid = $1", sid) == 1;
    }

    private long count(String sql, String sid) {
        return pool.preparedQuery(sql).execute(Tuple.of(sid)).await().indefinitely().iterator().next().getLong(0);
    }
}
