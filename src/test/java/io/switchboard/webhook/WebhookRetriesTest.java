package io.switchboard.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the service registers makes Twilio retry what it could not store: the URLs carry connection overrides, Twilio
 * signs them with the fragment and calls them without it, and the retry of a callback answered 503 is stored once.
 */
@QuarkusTest
class WebhookRetriesTest {

    private static final String CALLER = "+15105550123";

    @Inject
    TwilioSimulator simulator;

    @Inject
    WebhookUrls urls;

    @Inject
    RoutingTable routing;

    @Inject
    Pool pool;

    @Test
    void theRegisteredUrlsCarryOverridesThatRetryA5xxAndATimeout() {
        assertThat(urls.overrides()).isEqualTo("ct=3000&rt=5000&tt=15000&rc=3&rp=ct,rt,5xx");
        assertThat(urls.voiceInbound()).isEqualTo(urls.base() + "/twilio/voice/inbound#" + urls.overrides());
        assertThat(urls.voiceStatus("c1"))
                .isEqualTo(urls.base() + "/twilio/voice/status?callId=c1#" + urls.overrides());
    }

    @Test
    void aWebhookSignedAsTwilioSignsAUrlWithOverridesIsAccepted() {
        var c = Connected.create(simulator, 1);
        var params = SignedWebhook.params("AccountSid", c.account().accountSid(), "CallSid",
                "CA" + SimAccount.hex(16), "CallStatus", "ringing", "SequenceNumber", "1");
        String token = c.account().authToken();
        // Signed for the URL as registered, fragment included; the request line carries no fragment.
        SignedWebhook.postSignedFor(urls.voiceStatus(), params, token).then().statusCode(204);
        // A number registered before the overrides signs the bare URL.
        SignedWebhook.postSignedFor(urls.base() + "/twilio/voice/status", params, token).then().statusCode(204);
        // Any other fragment is not what was registered.
        SignedWebhook.postSignedFor(urls.base() + "/twilio/voice/status#rc=5", params, token).then().statusCode(403);
    }

    @Test
    void aStatusCallbackAnswered503IsRetriedByTwilioAndStoredOnce() throws Exception {
        var c = Connected.create(simulator, 1);
        c.importNumber(0, null);
        Await.until(Duration.ofSeconds(5), () -> routing.find(c.number(0)).isPresent(), "the import to be routed");
        assertThat(simulator.number(c.account().accountSid(), c.number(0)).orElseThrow().getString("status_callback"))
                .isEqualTo(urls.voiceStatus());

        // The database refuses the first status callback of this account once, then accepts again.
        String name = "refuse_once_" + SimAccount.hex(8);
        pool.query("create sequence " + name).execute().await().indefinitely();
        pool.query("create function " + name + "() returns trigger language plpgsql as $$ begin"
                + " if new.type = 'voice-status' and new.params->'AccountSid'->>0 = '" + c.account().accountSid()
                + "' then if nextval('" + name + "') = 1 then raise exception 'refused for the test'; end if; end if;"
                + " return new; end $$").execute().await().indefinitely();
        pool.query("create trigger " + name + " before insert on communication_event for each row"
                + " execute function " + name + "()").execute().await().indefinitely();
        String sid;
        try {
            sid = simulator.deliverInboundCall(c.number(0), CALLER).await().atMost(Duration.ofSeconds(10)).sid();
            simulator.callFinished(sid).toCompletableFuture().get(20, TimeUnit.SECONDS);
        } finally {
            pool.query("drop trigger " + name + " on communication_event").execute().await().indefinitely();
            pool.query("drop function " + name + "()").execute().await().indefinitely();
            pool.query("drop sequence " + name).execute().await().indefinitely();
        }

        var statuses = simulator.callbacks(sid).stream().filter(cb -> cb.kind().equals("call-status")).toList();
        assertThat(statuses).extracting(Recorded.Callback::status, Recorded.Callback::attempt)
                .containsExactly(tuple(503, 1), tuple(204, 2));
        assertThat(statuses.get(1).idempotencyToken()).isEqualTo(statuses.get(0).idempotencyToken());
        long stored = pool.preparedQuery("select count(*) from communication_event where sid = $1"
                + " and type = 'voice-status'").execute(Tuple.of(sid)).await().indefinitely().iterator().next()
                .getLong(0);
        assertThat(stored).isEqualTo(1);
    }
}
