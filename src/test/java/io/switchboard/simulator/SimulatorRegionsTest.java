package io.switchboard.simulator;

import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API_KEY;
import static io.switchboard.simulator.SimAccounts.API_SECRET;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Regions as the simulator models them: each at its own path, credentials valid only in the region they were made in,
 * and only the products a region runs served there; outages and slow accounts scoped to one region or account.
 */
@QuarkusTest
class SimulatorRegionsTest {

    private static final String IE1_TOKEN = "e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1";
    private static final String AU1_KEY = "SK" + "a".repeat(32);
    private static final String AU1_SECRET = "au1-key-secret-0123456789";

    @Inject
    TwilioSimulator simulator;

    @BeforeEach
    void reset() {
        simulator.reset();
        simulator.addRegionalAuthToken(ACCOUNT, SimRegion.IE1, IE1_TOKEN);
        simulator.addApiKey(ACCOUNT, SimRegion.AU1, AU1_KEY, AU1_SECRET);
    }

    private static String api(String region) {
        return "/sim/" + region + "/api/2010-04-01/Accounts/" + ACCOUNT;
    }

    @Test
    void credentialsAuthenticateOnlyInTheirOwnRegion() {
        // The account's first token and key are US1's: at /sim/api and /sim/us1/api alike.
        as(ACCOUNT, TOKEN).get("/sim/api/2010-04-01/Accounts/" + ACCOUNT + ".json").then().statusCode(200);
        as(ACCOUNT, TOKEN).get(api("us1") + ".json").then().statusCode(200);
        as(API_KEY, API_SECRET).get(api("us1") + "/IncomingPhoneNumbers.json").then().statusCode(200);
        as(ACCOUNT, TOKEN).get(api("ie1") + ".json").then().statusCode(401).body("code", equalTo(20003));
        as(API_KEY, API_SECRET).get(api("au1") + "/IncomingPhoneNumbers.json").then().statusCode(401);

        as(ACCOUNT, IE1_TOKEN).get(api("ie1") + ".json").then().statusCode(200);
        as(ACCOUNT, IE1_TOKEN).get(api("us1") + ".json").then().statusCode(401).body("code", equalTo(20003));
        as(ACCOUNT, IE1_TOKEN).get(api("au1") + ".json").then().statusCode(401);

        as(AU1_KEY, AU1_SECRET).get(api("au1") + "/IncomingPhoneNumbers.json").then().statusCode(200);
        as(AU1_KEY, AU1_SECRET).get(api("us1") + "/IncomingPhoneNumbers.json").then().statusCode(401);
        as(AU1_KEY, AU1_SECRET).get("/sim/ie1/trunking/v1/Trunks").then().statusCode(401);
        // Numbers are global: the same number is seen from every region.
        as(AU1_KEY, AU1_SECRET).queryParam("PhoneNumber", NUMBER).get(api("au1") + "/IncomingPhoneNumbers.json")
                .then().statusCode(200).body("incoming_phone_numbers[0].phone_number", equalTo(NUMBER));
    }

    @Test
    void eachRegionServesOnlyTheProductsTwilioRunsThere() {
        // AU1 runs Voice and SIP trunking only: no Messaging, no Lookup v2. IE1 runs both.
        as(AU1_KEY, AU1_SECRET).formParam("To", "+15105550123").formParam("From", NUMBER).formParam("Body", "hi")
                .post(api("au1") + "/Messages.json").then().statusCode(404).body("code", equalTo(20404));
        as(AU1_KEY, AU1_SECRET).get("/sim/au1/lookups/v2/PhoneNumbers/" + NUMBER).then().statusCode(404);
        as(AU1_KEY, AU1_SECRET).get("/sim/au1/trunking/v1/Trunks").then().statusCode(200);
        assertThat(simulator.messages()).isEmpty();

        as(ACCOUNT, IE1_TOKEN).formParam("To", "+15105550123").formParam("From", NUMBER).formParam("Body", "hi")
                .post(api("ie1") + "/Messages.json").then().statusCode(201);
        as(ACCOUNT, IE1_TOKEN).get("/sim/ie1/lookups/v2/PhoneNumbers/" + NUMBER).then().statusCode(200);
        assertThat(simulator.messages()).hasSize(1);

        var regions = simulator.requests().stream().map(r -> r.route() + " " + r.region() + " " + r.status())
                .toList();
        assertThat(regions).contains("/2010-04-01/Accounts/{AccountSid}/Messages.json au1 404",
                "/2010-04-01/Accounts/{AccountSid}/Messages.json ie1 201");
    }

    @Test
    void anOutageOrASlowAccountStaysInItsScope() {
        simulator.failRegion(SimRegion.IE1, 503, 20503);
        as(ACCOUNT, IE1_TOKEN).get(api("ie1") + ".json").then().statusCode(503).body("code", equalTo(20503));
        as(ACCOUNT, TOKEN).get(api("us1") + ".json").then().statusCode(200);

        simulator.clearScopedFaults();
        as(ACCOUNT, IE1_TOKEN).get(api("ie1") + ".json").then().statusCode(200);

        simulator.failAccount(ACCOUNT, 500, 20500);
        as(ACCOUNT, TOKEN).get(api("us1") + ".json").then().statusCode(500);
        as(SimAccounts.OTHER_ACCOUNT, SimAccounts.OTHER_TOKEN)
                .get("/sim/api/2010-04-01/Accounts/" + SimAccounts.OTHER_ACCOUNT + ".json").then().statusCode(200);

        simulator.clearScopedFaults();
        simulator.delayAccount(ACCOUNT, Duration.ofMillis(600));
        long started = System.nanoTime();
        as(SimAccounts.OTHER_ACCOUNT, SimAccounts.OTHER_TOKEN)
                .get("/sim/api/2010-04-01/Accounts/" + SimAccounts.OTHER_ACCOUNT + ".json").then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(500));
        started = System.nanoTime();
        as(ACCOUNT, TOKEN).get(api("us1") + ".json").then().statusCode(200);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
    }

    @Test
    void anAccountOfTwentyThousandNumbersIsPagedAThousandAtATime() {
        String sid = "AC" + "b".repeat(32);
        simulator.createAccount(sid, TOKEN);
        for (int i = 0; i < 20_000; i++) {
            simulator.addNumber(sid, "+1628" + (2_000_000 + i));
        }
        var page = as(sid, TOKEN).queryParam("PageSize", 5000)
                .get("/sim/api/2010-04-01/Accounts/" + sid + "/IncomingPhoneNumbers.json").then().statusCode(200)
                .body("page_size", equalTo(1000)).extract().jsonPath();
        List<String> numbers = page.getList("incoming_phone_numbers.phone_number");
        assertThat(numbers).hasSize(1000).first().isEqualTo("+16282000000");
        assertThat(page.getString("next_page_uri")).contains("Page=1");
    }
}
