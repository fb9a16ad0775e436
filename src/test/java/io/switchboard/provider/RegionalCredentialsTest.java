package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.routing.RoutingTable;
import io.switchboard.simulator.Recorded;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.switchboard.webhook.WebhookKeys;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A provider outside us1 with the account's US1 credentials beside its regional ones: checked against US1 on save,
 * sealed, never shown; SMS for AU1, which Twilio serves only from US1, goes there with them, and without them is
 * refused with a code that says what is missing.
 */
@QuarkusTest
class RegionalCredentialsTest {

    private static final String US1_KEY_SECRET = "us1-key-secret-0123456789";

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    @Inject
    WebhookKeys keys;

    @Inject
    RoutingTable routing;

    private Api.Org org;
    private SimAccount account;
    private String au1Token;
    /** API key SIDs are unique in Twilio: one per test, so that no two tests' accounts share one. */
    private String keySid;

    @BeforeEach
    void au1Account() {
        org = Api.newOrganization();
        account = SimAccount.create(simulator, 1);
        au1Token = SimAccount.hex(16);
        keySid = "SK" + SimAccount.hex(16);
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.AU1, au1Token);
    }

    private Map<String, Object> au1Provider() {
        var request = new HashMap<>(account.providerRequest("Sydney"));
        request.put("region", "au1");
        request.put("authToken", au1Token);
        return request;
    }

    @Test
    void us1CredentialsAreCheckedAgainstUs1SealedAndNeverShown() {
        var request = au1Provider();
        request.put("us1AuthToken", account.authToken());
        var body = Api.as(org).body(request).post("/v1/providers").then().statusCode(201)
                .body("region", equalTo("au1"))
                .body("us1Credentials", equalTo("auth_token"))
                .body("verification.checks.name", hasItem("us1_credentials"))
                .extract().asString();
        assertThat(body).doesNotContain(account.authToken()).doesNotContain(au1Token);
        String id = Api.as(org).body(request).get("/v1/providers").then().statusCode(200)
                .extract().path("items[0].id");
        String sealed = pool.preparedQuery("select us1_auth_token_enc from provider where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().atMost(Duration.ofSeconds(5)).iterator().next()
                .getString(0);
        assertThat(sealed).startsWith("v1.").doesNotContain(account.authToken());
        // US1 was asked, with the US1 token.
        assertThat(simulator.requests()).anySatisfy(r -> {
            assertThat(r.region()).isEqualTo("us1");
            assertThat(r.accountSid()).isEqualTo(account.accountSid());
        });
    }

    @Test
    void us1CredentialsUs1RefusesAreA422NamingTheField() {
        var request = au1Provider();
        // The AU1 token is not valid in US1.
        request.put("us1AuthToken", au1Token);
        Api.as(org).body(request).post("/v1/providers").then().statusCode(422)
                .body("error", equalTo("twilio_auth_failed"))
                .body("details[0].field", equalTo("us1AuthToken"));

        var withKey = au1Provider();
        simulator.addApiKey(account.accountSid(), SimRegion.AU1, keySid, US1_KEY_SECRET);
        withKey.put("us1ApiKeySid", keySid);
        withKey.put("us1ApiKeySecret", US1_KEY_SECRET);
        Api.as(org).body(withKey).post("/v1/providers").then().statusCode(422)
                .body("details[0].field", equalTo("us1ApiKeySecret"));
    }

    @Test
    void us1CredentialsAreOnlyForProvidersOutsideUs1() {
        var request = new HashMap<>(account.providerRequest("Ashburn"));
        request.put("us1AuthToken", account.authToken());
        Api.as(org).body(request).post("/v1/providers").then().statusCode(400)
                .body("details.field", hasItem("us1AuthToken"));
        var malformed = au1Provider();
        malformed.put("us1ApiKeySid", "SK123");
        Api.as(org).body(malformed).post("/v1/providers").then().statusCode(400)
                .body("details.field", hasItem("us1ApiKeySid"))
                .body("details.field", hasItem("us1ApiKeySecret"));
    }

    @Test
    void anAu1SmsNeedsUs1CredentialsAndThenGoesThroughUs1() {
        String providerId = Api.as(org).body(au1Provider()).post("/v1/providers").then().statusCode(201)
                .body("us1Credentials", equalTo("none"))
                .body("verification.checks.find { it.name == 'us1_credentials' }.status", equalTo("warning"))
                .extract().path("id");
        Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", providerId))
                .post("/v1/phone-numbers").then().statusCode(201);
        String to = SimAccount.randomNumber();

        Api.as(org).body(Map.of("to", to, "body", "hello")).post("/v1/messages").then().statusCode(422)
                .body("error", equalTo("us1_credentials_required"));

        // Refused by US1 first: nothing changes.
        Api.as(org).body(Map.of("us1AuthToken", au1Token)).patch("/v1/providers/" + providerId).then()
                .statusCode(422).body("error", equalTo("twilio_auth_failed"))
                .body("details[0].field", equalTo("us1AuthToken"));
        simulator.addApiKey(account.accountSid(), keySid, US1_KEY_SECRET);
        Api.as(org).body(Map.of("us1ApiKeySid", keySid, "us1ApiKeySecret", US1_KEY_SECRET))
                .patch("/v1/providers/" + providerId).then().statusCode(200)
                .body("us1Credentials", equalTo("api_key"));

        Api.as(org).body(Map.of("to", to, "body", "hello")).post("/v1/messages").then().statusCode(202);
        // The simulator records the request as it answers, a moment after it stores the message.
        Await.until(Duration.ofSeconds(10), () -> !sends().isEmpty(), "the message to reach Twilio");
        assertThat(simulator.messages()).anySatisfy(m -> assertThat(m.to()).isEqualTo(to));
        assertThat(sends())
                .singleElement().satisfies(r -> {
                    assertThat(r.region()).isEqualTo("us1");
                    assertThat(r.status()).isEqualTo(201);
                });
    }

    /**
     * Twilio processes the SMS of an AU1 number in US1 (AU1 has no Messaging), so it signs them with the account's US1
     * auth token: accepted for the number's SMS webhooks when the provider carries it, never for its voice webhooks.
     */
    @Test
    void anAu1NumbersSmsWebhooksAreVerifiedWithItsUs1TokenAndItsCallsWithItsAu1Token() {
        var request = au1Provider();
        request.put("us1AuthToken", account.authToken());
        String providerId = Api.as(org).body(request).post("/v1/providers").then().statusCode(201).extract()
                .path("id");
        String number = account.numbers().get(0);
        Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers").then()
                .statusCode(201);
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId))
                && routing.find(number).isPresent(), "the provider's keys and its number to be known");

        String from = SimAccount.randomNumber();
        assertThat(sms(number, from, account.authToken()).statusCode()).isEqualTo(200);
        assertThat(sms(number, from, au1Token).statusCode()).isEqualTo(200);
        assertThat(sms(number, from, SimAccount.hex(16)).statusCode()).isEqualTo(403);
        var call = SignedWebhook.inboundCall(account.accountSid(), from, number);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", call, account.authToken()).statusCode())
                .isEqualTo(403);
        assertThat(SignedWebhook.post("/twilio/voice/inbound", call, au1Token).statusCode()).isEqualTo(200);
    }

    private io.restassured.response.Response sms(String to, String from, String token) {
        var params = SignedWebhook.params("AccountSid", account.accountSid(), "MessageSid", "SM" + SimAccount.hex(16),
                "From", from, "To", to, "Body", "hello");
        return SignedWebhook.post("/twilio/messaging/inbound", params, token);
    }

    private List<Recorded.Request> sends() {
        return simulator.requests().stream()
                .filter(r -> r.route().endsWith("/Messages.json") && r.path().contains(account.accountSid()))
                .toList();
    }
}
