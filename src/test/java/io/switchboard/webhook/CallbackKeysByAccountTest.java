package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Callbacks are de-duplicated within the account that signed them: another account's callback with the same
 * idempotency token or the same sid is its own event, while a redelivery is still stored once.
 */
@QuarkusTest
class CallbackKeysByAccountTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    @Test
    void twoAccountsWithTheSameTokenAreBothStoredAndARedeliveryOnce() {
        var a = Connected.create(simulator, 1);
        var b = Connected.create(simulator, 1);
        String token = "idem-" + SimAccount.hex(8);
        String sidA = "CA" + SimAccount.hex(16);
        String sidB = "CA" + SimAccount.hex(16);
        status(a, sidA, token);
        status(b, sidB, token);
        status(a, sidA, token);
        assertThat(count("select count(*) from communication_event where sid = $1 or sid = $2", sidA, sidB))
                .isEqualTo(2);
    }

    @Test
    void twoAccountsWithTheSameSidAreBothStoredAndARedeliveryOnce() {
        var a = Connected.create(simulator, 1);
        var b = Connected.create(simulator, 1);
        String sid = "CA" + SimAccount.hex(16);
        status(a, sid, null);
        status(b, sid, null);
        status(b, sid, null);
        assertThat(count("select count(*) from communication_event where sid = $1 or sid = $2", sid, sid))
                .isEqualTo(2);
        assertThat(count("select count(distinct params -> 'AccountSid' ->> 0) from communication_event where sid = $1"
                + " or sid = $2", sid, sid)).isEqualTo(2);
    }

    private static void status(Connected c, String sid, String token) {
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid", sid, "CallStatus",
                "completed", "SequenceNumber", "4", "From", "+15105550123", "To", c.number(0), "Direction", "inbound");
        SignedWebhook.post("/twilio/voice/status", params, c.account().authToken(), token).then().statusCode(204);
    }

    private long count(String sql, String first, String second) {
        return pool.preparedQuery(sql).execute(Tuple.of(first, second)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }
}
