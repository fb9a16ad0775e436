package io.switchboard.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * No session of the service sits inside a transaction while it waits for Twilio: with every Twilio request slowed
 * down, a provider is verified, a number imported and an outbound call placed, and meanwhile no session of the
 * service's pool stays idle inside a transaction for anywhere near as long as a Twilio request takes. A transaction
 * held across a Twilio call would hold its row locks that long, and {@code idle_in_transaction_session_timeout} would
 * end it.
 */
@QuarkusTest
class NoTransactionAcrossTwilioTest {

    private static final Duration TWILIO_LATENCY = Duration.ofMillis(1_000);
    /** Far longer than any pause between two statements of one transaction; shorter than a Twilio request. */
    private static final Duration HELD = Duration.ofMillis(700);

    @Inject
    TwilioSimulator simulator;
    @Inject
    Pool pool;

    @Test
    void noTransactionIsOpenWhileTwilioAnswers() throws Exception {
        var c = Connected.create(simulator, 2);
        String agent = c.createAgent(Map.of("name", "Bot", "routing",
                Map.of("type", "stream", "url", "wss://a.example.com/m")));
        c.importNumber(0, agent);

        var held = new CopyOnWriteArrayList<String>();
        var sampling = new AtomicBoolean(true);
        var sampler = new Thread(() -> {
            while (sampling.get()) {
                held.addAll(heldTransactions());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "idle-in-transaction-sampler");
        Faults before = simulator.faults();
        simulator.setFaults(before.withLatency(TWILIO_LATENCY));
        sampler.start();
        try {
            Api.as(c.org()).post("/v1/providers/" + c.providerId() + "/verify").then().statusCode(200);
            c.importNumber(1, agent);
            String callId =
                    Api.as(c.org()).body(Map.of("agentId", agent, "targetNumbers", List.of(SimAccount.randomNumber())))
                            .post("/v1/calls").then().statusCode(202).extract().path("calls[0].id");
            Await.until(Duration.ofSeconds(20), () -> Api.as(c.org()).get("/v1/calls/" + callId).then()
                    .statusCode(200).extract().path("sid") != null, "the call to be placed");
        } finally {
            sampling.set(false);
            sampler.join();
            simulator.setFaults(before);
        }
        assertThat(held).as("sessions idle in a transaction for over " + HELD.toMillis() + " ms").isEmpty();
    }

    /** The service's sessions idle inside a transaction for longer than {@link #HELD}, with their last statement. */
    private List<String> heldTransactions() {
        var rows = pool.preparedQuery("""
                select pid, query from pg_stat_activity
                 where application_name = $1 and state like 'idle in transaction%'
                   and state_change < now() - make_interval(secs => $2)""")
                .execute(Tuple.of(DatabaseConnections.APPLICATION_NAME, HELD.toMillis() / 1000.0))
                .await().atMost(Duration.ofSeconds(5));
        var found = new java.util.ArrayList<String>();
        for (Row row : rows) {
            found.add(row.getInteger("pid") + ": " + row.getString("query"));
        }
        return found;
    }
}
