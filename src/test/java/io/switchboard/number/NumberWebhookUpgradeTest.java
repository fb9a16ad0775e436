package io.switchboard.number;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Connected;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Numbers imported before their URLs carried connection overrides are brought up to date at Twilio once: the URLs that
 * still point here get today's overrides, one the customer moved elsewhere stays, and the pace per account holds.
 */
@QuarkusTest
class NumberWebhookUpgradeTest {

    private static final String UPDATE = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json";
    private static final String ELSEWHERE = "https://customer.example.com/voice";

    @Inject
    TwilioSimulator simulator;

    @Inject
    NumberWebhookUpgrade upgrade;

    @Inject
    WebhookUrls urls;

    @Inject
    Pool pool;

    @Test
    void aNumberImportedWithTheOldUrlsIsUpdatedOnceAndNotAgain() {
        // Numbers other tests wrote straight into the shared database (support.DirectSeed, without overrides) belong
        // to simulator accounts reset since: counted here they would fail at Twilio. Only this test's numbers count.
        pool.preparedQuery("update phone_number set webhook_overrides = $1 where webhook_overrides is distinct from $1")
                .execute(Tuple.of(urls.overrides())).await().atMost(Duration.ofSeconds(10));
        var c = Connected.create(simulator, 3);
        for (int i = 0; i < 3; i++) {
            c.importNumber(i, null);
        }
        // Nothing to do for numbers imported now.
        assertThat(upgrade.run().await().atMost(Duration.ofSeconds(20)))
                .isEqualTo(new NumberWebhookUpgrade.Result(true, 0, 0, 0));

        // Numbers 0 and 1 as an import before the overrides left them; the customer then moved number 1's voice URL.
        registerAsBefore(c, 0, urls.base() + "/twilio/voice/inbound");
        registerAsBefore(c, 1, ELSEWHERE);
        Instant started = Instant.now();
        assertThat(upgrade.run().await().atMost(Duration.ofSeconds(20)))
                .isEqualTo(new NumberWebhookUpgrade.Result(true, 2, 0, 0));

        var first = twilioNumber(c, 0);
        assertThat(first.getString("voice_url")).isEqualTo(urls.voiceInbound()).contains("#" + urls.overrides());
        assertThat(first.getString("sms_url")).isEqualTo(urls.messagingInbound());
        assertThat(first.getString("status_callback")).isEqualTo(urls.voiceStatus());
        var second = twilioNumber(c, 1);
        assertThat(second.getString("voice_url")).isEqualTo(ELSEWHERE);
        assertThat(second.getString("sms_url")).isEqualTo(urls.messagingInbound());
        assertThat(second.getString("status_callback")).isEqualTo(urls.voiceStatus());
        assertThat(storedOverrides(c, 0)).isEqualTo(urls.overrides());
        assertThat(storedOverrides(c, 1)).isEqualTo(urls.overrides());

        var updates = updates(c, started);
        assertThat(updates).hasSize(2);
        assertThat(updates).filteredOn(r -> r.path().contains(first.getString("sid"))).singleElement()
                .satisfies(r -> assertThat(r.params()).containsOnlyKeys("VoiceUrl", "SmsUrl", "StatusCallback"));
        assertThat(updates).filteredOn(r -> r.path().contains(second.getString("sid"))).singleElement()
                .satisfies(r -> assertThat(r.params()).containsOnlyKeys("SmsUrl", "StatusCallback"));
        // Two a second per account, by default.
        assertThat(Duration.between(updates.get(0).at(), updates.get(1).at())).isGreaterThanOrEqualTo(
                Duration.ofMillis(450));

        Instant again = Instant.now();
        assertThat(upgrade.run().await().atMost(Duration.ofSeconds(20)))
                .isEqualTo(new NumberWebhookUpgrade.Result(true, 0, 0, 0));
        assertThat(simulator.requests()).filteredOn(r -> !r.at().isBefore(again))
                .filteredOn(r -> c.account().accountSid().equals(r.accountSid())).isEmpty();
    }

    @Test
    void oneReplicaAtATime() {
        var result = pool.withConnection(connection -> connection.preparedQuery("select pg_advisory_lock($1)")
                .execute(Tuple.of(NumberWebhookRepository.LOCK))
                .chain(() -> upgrade.run())
                .call(() -> connection.preparedQuery("select pg_advisory_unlock($1)")
                        .execute(Tuple.of(NumberWebhookRepository.LOCK))))
                .await().atMost(Duration.ofSeconds(20));
        assertThat(result).isEqualTo(new NumberWebhookUpgrade.Result(false, 0, 0, 0));
        assertThat(upgrade.run().await().atMost(Duration.ofSeconds(20)).ran()).isTrue();
    }

    /** The number's URLs at Twilio without overrides, and its row as an import before this change left it. */
    private void registerAsBefore(Connected c, int index, String voiceUrl) {
        given().auth().preemptive().basic(c.account().accountSid(), c.account().authToken())
                .formParam("VoiceUrl", voiceUrl)
                .formParam("SmsUrl", urls.base() + "/twilio/messaging/inbound")
                .formParam("StatusCallback", urls.base() + "/twilio/voice/status")
                .post("/sim/api/2010-04-01/Accounts/" + c.account().accountSid() + "/IncomingPhoneNumbers/"
                        + twilioNumber(c, index).getString("sid") + ".json")
                .then().statusCode(200);
        pool.preparedQuery("update phone_number set webhook_overrides = null where number = $1")
                .execute(Tuple.of(c.number(index))).await().indefinitely();
    }

    private JsonObject twilioNumber(Connected c, int index) {
        return simulator.number(c.account().accountSid(), c.number(index)).orElseThrow();
    }

    private String storedOverrides(Connected c, int index) {
        return pool.preparedQuery("select webhook_overrides from phone_number where number = $1")
                .execute(Tuple.of(c.number(index))).await().indefinitely().iterator().next()
                .getString("webhook_overrides");
    }

    private List<Recorded.Request> updates(Connected c, Instant since) {
        return simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().equals(UPDATE) && !r.at().isBefore(since)
                        && c.account().accountSid().equals(r.accountSid()))
                .toList();
    }
}
