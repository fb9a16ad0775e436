package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static io.switchboard.simulator.SimAccounts.ACCOUNT;
import static io.switchboard.simulator.SimAccounts.API;
import static io.switchboard.simulator.SimAccounts.API_KEY;
import static io.switchboard.simulator.SimAccounts.API_SECRET;
import static io.switchboard.simulator.SimAccounts.LOOKUPS;
import static io.switchboard.simulator.SimAccounts.NUMBER;
import static io.switchboard.simulator.SimAccounts.OTHER_ACCOUNT;
import static io.switchboard.simulator.SimAccounts.OTHER_TOKEN;
import static io.switchboard.simulator.SimAccounts.SECOND_NUMBER;
import static io.switchboard.simulator.SimAccounts.TOKEN;
import static io.switchboard.simulator.SimAccounts.TRUNKING;
import static io.switchboard.simulator.SimAccounts.as;
import static io.switchboard.simulator.SimAccounts.asAccount;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST side: authentication, numbers, SIP trunking and credentials, magic numbers, Lookups. */
@QuarkusTest
class SimulatorApiTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    SimulatorRouter router;

    @BeforeEach
    void reset() {
        simulator.reset();
    }

    @Test
    void everyRequestNeedsTheAccountsCredentials() {
        given().get(API + "/IncomingPhoneNumbers.json").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Basic"))
                .body("code", equalTo(20003)).body("status", equalTo(401))
                .body("more_info", equalTo("https://www.twilio.com/docs/errors/20003"));
        as(ACCOUNT, TOKEN + "x").get(API + "/IncomingPhoneNumbers.json").then().statusCode(401)
                .body("code", equalTo(20003));
        as(API_KEY, "wrong").get(TRUNKING + "/Trunks").then().statusCode(401).body("code", equalTo(20003));
        as(OTHER_ACCOUNT, TOKEN).get(LOOKUPS + "/PhoneNumbers/" + NUMBER).then().statusCode(401);

        // An API key opens its own account; an account's credentials never open another's.
        as(API_KEY, API_SECRET).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        as(OTHER_ACCOUNT, OTHER_TOKEN).get(API + "/IncomingPhoneNumbers.json").then().statusCode(404)
                .body("code", equalTo(20404));
    }

    @Test
    void numbersAreListedFilteredAndPaged() {
        asAccount().get(API + "/IncomingPhoneNumbers.json").then().statusCode(200)
                .body("incoming_phone_numbers.phone_number", equalTo(List.of(NUMBER, SECOND_NUMBER)))
                .body("incoming_phone_numbers.account_sid", everyItem(equalTo(ACCOUNT)))
                .body("incoming_phone_numbers.sid", everyItem(matchesPattern("PN[0-9a-f]{32}")))
                .body("next_page_uri", nullValue());

        asAccount().queryParam("PhoneNumber", SECOND_NUMBER).get(API + "/IncomingPhoneNumbers.json").then()
                .statusCode(200).body("incoming_phone_numbers", hasSize(1))
                .body("incoming_phone_numbers[0].phone_number", equalTo(SECOND_NUMBER))
                .body("incoming_phone_numbers[0].friendly_name", equalTo("(415) 555-0101"));

        var first = asAccount().queryParam("PageSize", 1).get(API + "/IncomingPhoneNumbers.json").then()
                .statusCode(200).body("incoming_phone_numbers", hasSize(1)).body("page_size", equalTo(1))
                .extract().jsonPath();
        String next = first.getString("next_page_uri");
        assertThat(next).startsWith("/2010-04-01/Accounts/" + ACCOUNT + "/IncomingPhoneNumbers.json?")
                .contains("Page=1");
        // Twilio's next_page_uri is relative to the API's origin, which is /sim/api here.
        asAccount().urlEncodingEnabled(false).get("/sim/api" + next).then().statusCode(200)
                .body("incoming_phone_numbers[0].phone_number", equalTo(SECOND_NUMBER))
                .body("next_page_uri", nullValue());
    }

    @Test
    void numberUpdatesSetAndEmptyValuesClear() {
        String sid = simulator.number(ACCOUNT, NUMBER).orElseThrow().getString("sid");
        String uri = API + "/IncomingPhoneNumbers/" + sid + ".json";
        asAccount().formParam("VoiceUrl", "https://hooks.example.test/twilio/voice/inbound")
                .formParam("VoiceMethod", "POST")
                .formParam("SmsUrl", "https://hooks.example.test/twilio/messaging/inbound")
                .formParam("StatusCallback", "https://hooks.example.test/twilio/voice/status")
                .formParam("StatusCallbackMethod", "GET")
                .post(uri).then().statusCode(200)
                .body("voice_url", equalTo("https://hooks.example.test/twilio/voice/inbound"))
                .body("sms_url", equalTo("https://hooks.example.test/twilio/messaging/inbound"))
                .body("status_callback_method", equalTo("GET"));
        asAccount().get(uri).then().statusCode(200)
                .body("voice_url", equalTo("https://hooks.example.test/twilio/voice/inbound"));

        asAccount().formParam("VoiceUrl", "").formParam("StatusCallback", "").post(uri).then().statusCode(200)
                .body("voice_url", equalTo(""))
                .body("status_callback", equalTo(""))
                .body("sms_url", equalTo("https://hooks.example.test/twilio/messaging/inbound"));

        asAccount().get(API + "/IncomingPhoneNumbers/PN" + "0".repeat(32) + ".json").then().statusCode(404)
                .body("code", equalTo(20404));
    }

    @Test
    void trunkCredentialListAndCredentials() {
        String trunk = asAccount().formParam("FriendlyName", "switchboard")
                .formParam("DomainName", "sb-test-1.pstn.twilio.com")
                .post(TRUNKING + "/Trunks").then().statusCode(201)
                .body("domain_name", equalTo("sb-test-1.pstn.twilio.com"))
                .body("url", startsWith("http://"))
                .extract().path("sid");
        assertThat(trunk).matches("TK[0-9a-f]{32}");
        // Domain names are unique across Twilio.
        as(SimAccounts.OTHER_ACCOUNT, OTHER_TOKEN).formParam("DomainName", "sb-test-1.pstn.twilio.com")
                .post(TRUNKING + "/Trunks").then().statusCode(409);
        asAccount().formParam("DomainName", "sb.example.com").post(TRUNKING + "/Trunks").then().statusCode(400);

        String list = asAccount().formParam("FriendlyName", "switchboard")
                .post(API + "/SIP/CredentialLists.json").then().statusCode(201)
                .body("subresource_uris.credentials", equalTo("/2010-04-01/Accounts/" + ACCOUNT
                        + "/SIP/CredentialLists/" + simulatorLastCredentialList() + "/Credentials.json"))
                .extract().path("sid");
        String credentials = API + "/SIP/CredentialLists/" + list + "/Credentials.json";

        for (String weak : new String[] { "Short1a", "alllowercase123", "ALLUPPERCASE123", "NoDigitsAtAllHere" }) {
            asAccount().formParam("Username", "agent").formParam("Password", weak).post(credentials).then()
                    .statusCode(400).body("code", equalTo(21250)).body("status", equalTo(400));
        }
        asAccount().formParam("Username", "agent").formParam("Password", "Str0ngEnoughPass").post(credentials)
                .then().statusCode(201).body("username", equalTo("agent"))
                .body("credential_list_sid", equalTo(list));
        asAccount().get(credentials).then().statusCode(200).body("credentials", hasSize(1))
                .body("credentials[0].password", nullValue());

        asAccount().formParam("CredentialListSid", list).post(TRUNKING + "/Trunks/" + trunk + "/CredentialLists")
                .then().statusCode(201).body("sid", equalTo(list)).body("trunk_sid", equalTo(trunk));
        asAccount().get(TRUNKING + "/Trunks/" + trunk + "/CredentialLists").then().statusCode(200)
                .body("credential_lists", hasSize(1)).body("meta.key", equalTo("credential_lists"));
        asAccount().formParam("FriendlyName", "agent platform").formParam("SipUrl", "sip:agents.example.test")
                .formParam("Weight", 10).formParam("Priority", 10).formParam("Enabled", true)
                .post(TRUNKING + "/Trunks/" + trunk + "/OriginationUrls").then().statusCode(201)
                .body("sip_url", equalTo("sip:agents.example.test"));
        asAccount().get(TRUNKING + "/Trunks/" + trunk + "/OriginationUrls").then().statusCode(200)
                .body("origination_urls", hasSize(1));

        // Clean-up of a half-done provisioning: detach, delete the list, delete the trunk.
        asAccount().delete(TRUNKING + "/Trunks/" + trunk + "/CredentialLists/" + list).then().statusCode(204);
        asAccount().delete(API + "/SIP/CredentialLists/" + list + ".json").then().statusCode(204);
        asAccount().get(API + "/SIP/CredentialLists/" + list + ".json").then().statusCode(404);
        asAccount().delete(TRUNKING + "/Trunks/" + trunk).then().statusCode(204);
        asAccount().get(TRUNKING + "/Trunks/" + trunk).then().statusCode(404).body("code", equalTo(20404));
        assertThat(simulator.trunks()).isEmpty();
    }

    @Test
    void magicNumbersFailAsTwilioDocumentsThem() {
        callTo("+15005550001").then().statusCode(400).body("code", equalTo(21211));
        callTo("+15005550009").then().statusCode(400).body("code", equalTo(21214));
        callTo("+15005550003").then().statusCode(400).body("code", equalTo(21215));
        asAccount().formParam("To", "+14155550999").formParam("From", "+15005550001")
                .formParam("Url", "https://example.test/twiml").post(API + "/Calls.json").then()
                .statusCode(400).body("code", equalTo(21212));
        // A From the account does not own.
        asAccount().formParam("To", "+14155550999").formParam("From", "+14155550999")
                .formParam("Url", "https://example.test/twiml").post(API + "/Calls.json").then()
                .statusCode(400).body("code", equalTo(21210));

        smsTo("+15005550001").then().statusCode(400).body("code", equalTo(21211));
        smsTo("+15005550002").then().statusCode(400).body("code", equalTo(21612));
        smsTo("+15005550004").then().statusCode(400).body("code", equalTo(21610));
        smsTo("+15005550009").then().statusCode(400).body("code", equalTo(21614));
        asAccount().formParam("To", "+14155550999").formParam("From", "+15005550008").formParam("Body", "hi")
                .post(API + "/Messages.json").then().statusCode(400).body("code", equalTo(21611));

        // The valid magic sender works like an owned number.
        asAccount().formParam("To", "+14155550999").formParam("From", "+15005550006").formParam("Body", "hi")
                .post(API + "/Messages.json").then().statusCode(201).body("status", equalTo("queued"));
        assertThat(simulator.calls()).isEmpty();
    }

    @Test
    void lookupsTellValidFromInvalid() {
        asAccount().get(LOOKUPS + "/PhoneNumbers/+14155550100").then().statusCode(200)
                .body("valid", equalTo(true)).body("country_code", equalTo("US"))
                .body("calling_country_code", equalTo("1")).body("national_format", equalTo("(415) 555-0100"))
                .body("phone_number", equalTo("+14155550100"));
        asAccount().get(LOOKUPS + "/PhoneNumbers/+1415555").then().statusCode(200).body("valid", equalTo(false));
    }

    @Test
    void theSameRoutesAnswerOnTheSimulatorsOwnPort() {
        int port = router.ownPort().orElseThrow();
        asAccount().port(port).get(API + "/IncomingPhoneNumbers.json").then().statusCode(200)
                .body("incoming_phone_numbers", hasSize(2));
        given().port(port).get(API + "/IncomingPhoneNumbers.json").then().statusCode(401);
    }

    @Test
    void requestsAreCountedPerRoute() {
        asAccount().get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        asAccount().get(API + "/IncomingPhoneNumbers.json").then().statusCode(200);
        given().get(API + "/IncomingPhoneNumbers.json").then().statusCode(401);
        assertThat(simulator.requestCount("GET", "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json"))
                .isEqualTo(3);
        assertThat(ours(simulator.requests())).extracting(Recorded.Request::status).containsExactly(200, 200, 401);
        given().get("/sim/admin/requests/counts").then().statusCode(200)
                .body("'GET /2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json'", equalTo(3));
    }

    /** This test's requests: a call another test left running may still reach the simulator under its own account. */
    private static List<Recorded.Request> ours(List<Recorded.Request> requests) {
        return requests.stream().filter(r -> r.path().contains(ACCOUNT)).toList();
    }

    private String simulatorLastCredentialList() {
        return asAccount().get(API + "/SIP/CredentialLists.json").then().extract()
                .path("credential_lists[-1].sid");
    }

    private static io.restassured.response.Response callTo(String to) {
        return asAccount().formParam("To", to).formParam("From", NUMBER)
                .formParam("Url", "https://example.test/twiml").post(API + "/Calls.json");
    }

    private static io.restassured.response.Response smsTo(String to) {
        return asAccount().formParam("To", to).formParam("From", NUMBER).formParam("Body", "hi")
                .post(API + "/Messages.json");
    }
}
