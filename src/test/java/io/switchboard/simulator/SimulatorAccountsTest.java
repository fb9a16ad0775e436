package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.API_KEY;
import static io.switchboard.simulator.SimAccounts.API_SECRET;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.SECOND_NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Seeding accounts without losing one, and rotating an account's auth token the way Twilio's Accounts API does. */
@QuarkusTest
class SimulatorAccountsTest {

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
    }

    @Test
    void anAccountThatExistsIsNeverReplaced() {
        given().contentType("application/json")
                .body("{\"accountSid\":\"" + ACCOUNT + "\",\"authToken\":\"" + "9".repeat(32)
                        + "\"}")
                .post("/sim/admin/accounts").then().statusCode(409)
                .body("error", containsString(ACCOUNT));
        assertThatThrownBy(() -> simulator.createAccount(ACCOUNT, "9".repeat(32)))
                .isInstanceOf(IllegalStateException.class);

        // Its token, keys and numbers are as they were.
        as(ACCOUNT, TOKEN).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200)
                .body("incoming_phone_numbers.phone_number", equalTo(List.of(NUMBER, SECOND_NUMBER)));
        as(ACCOUNT, "9".repeat(32)).get(API + "/IncomingPhoneNumbers.json").then().statusCode(401);
        as(API_KEY, API_SECRET).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);

        // A new SID is still created, once.
        String created = given().contentType("application/json").body("{}").post("/sim/admin/accounts").then()
                .statusCode(201).extract().path("accountSid");
        assertThat(simulator.hasAccount(created)).isTrue();
        given().contentType("application/json").body("{\"accountSid\":\"" + created + "\"}")
                .post("/sim/admin/accounts").then().statusCode(409);
    }

    @Test
    void aSecondaryTokenWorksBesideThePrimaryUntilItIsPromoted() {
        String secondary = given().contentType("application/json").body("{}")
                .post("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/secondary").then().statusCode(201)
                .body("accountSid", equalTo(ACCOUNT))
                .body("secondaryAuthToken", matchesPattern("[0-9a-f]{32}"))
                .extract().path("secondaryAuthToken");

        // Both authenticate REST requests; webhooks are still signed with the primary.
        as(ACCOUNT, TOKEN).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        as(ACCOUNT, secondary).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        var before = ring(secondary);
        assertThat(before.signedWith(TOKEN)).isTrue();
        assertThat(before.signedWith(secondary)).isFalse();

        var promoted = given().post("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/promote").then()
                .statusCode(200).body("authToken", equalTo(secondary)).extract().jsonPath();
        assertThat(promoted.getString("accountSid")).isEqualTo(ACCOUNT);

        // The old primary stops at once; the promoted token signs the webhooks from now on.
        as(ACCOUNT, TOKEN).get(API + "/IncomingPhoneNumbers.json").then().statusCode(401)
                .body("code", equalTo(20003));
        as(ACCOUNT, secondary).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        var after = ring(secondary);
        assertThat(after.signedWith(secondary)).isTrue();
        assertThat(after.signedWith(TOKEN)).isFalse();

        // Nothing is left to promote.
        given().post("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/promote").then().statusCode(409)
                .body("error", containsString("no secondary auth token"));
    }

    @Test
    void aSecondaryTokenCanBeReplacedAndDeleted() {
        simulator.createSecondaryAuthToken(ACCOUNT, "a".repeat(32));
        given().contentType("application/json").body("{\"secondaryAuthToken\":\"" + "b".repeat(32) + "\"}")
                .post("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/secondary").then().statusCode(201);
        as(ACCOUNT, "a".repeat(32)).get(API + "/IncomingPhoneNumbers.json").then().statusCode(401);
        as(ACCOUNT, "b".repeat(32)).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);

        given().delete("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/secondary").then().statusCode(204);
        as(ACCOUNT, "b".repeat(32)).get(API + "/IncomingPhoneNumbers.json").then().statusCode(401);
        as(ACCOUNT, TOKEN).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        given().delete("/sim/admin/accounts/" + ACCOUNT + "/auth-tokens/secondary").then().statusCode(404);
        assertThat(simulator.deleteSecondaryAuthToken(ACCOUNT)).isFalse();

        // The secondary token is a US1 token: it opens no other region, and no unknown account has one.
        simulator.createSecondaryAuthToken(ACCOUNT, "c".repeat(32));
        as(ACCOUNT, "c".repeat(32)).get("/sim/ie1/api/2010-04-01/Accounts/" + ACCOUNT + "/IncomingPhoneNumbers.json")
                .then().statusCode(401);
        given().post("/sim/admin/accounts/AC" + "f".repeat(32) + "/auth-tokens/promote").then().statusCode(404);
        given().contentType("application/json").body("{}")
                .post("/sim/admin/accounts/AC" + "f".repeat(32) + "/auth-tokens/secondary").then().statusCode(404);
    }

    /** Rings the seed number, its voice URL set (with {@code token}) to the test receiver: the webhook it sent. */
    private ReceivedWebhooks.Received ring(String token) {
        String sid = simulator.number(ACCOUNT, NUMBER).orElseThrow().getString("sid");
        as(ACCOUNT, token).formParam("VoiceUrl", hooks + "/twiml/say")
                .post(API + "/IncomingPhoneNumbers/" + sid + ".json").then().statusCode(200);
        received.clear();
        var delivery = simulator.deliverInboundCall(NUMBER, "+14155550999").await().atMost(Duration.ofSeconds(5));
        assertThat(delivery.status()).isEqualTo(200);
        return received.named("twiml/say").get(0);
    }
}
