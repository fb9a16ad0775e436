package io.switchboard.number;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SimAccount;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@QuarkusTest
class PhoneNumberResourceTest {

    private static final String UPDATE_NUMBER = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers/{Sid}.json";
    private static final String CUSTOMER = "https://customer.example.com";

    @Inject
    WebhookUrls urls;

    @Inject
    TwilioSimulator simulator;

    private Api.Org org;
    private SimAccount account;
    private String providerId;
    private String trunkSid;

    @BeforeEach
    void setUp() {
        org = Api.newOrganization();
        account = SimAccount.create(simulator, 4);
        var provider = Api.as(org).body(account.providerRequest("Acme")).post("/v1/providers")
                .then().statusCode(201).extract().jsonPath();
        providerId = provider.getString("id");
        trunkSid = provider.getString("trunkSid");
    }

    @Test
    void importPointsTheNumberHereAndDeleteRestoresExactlyWhatWasThere() {
        String number = account.numbers().get(0);
        String voiceApp = "AP" + SimAccount.hex(16);
        String smsApp = "AP" + SimAccount.hex(16);
        // The customer's own configuration, with an application and a trunk that would take calls away from us.
        configureAtTwilio(number, Map.of("VoiceUrl", CUSTOMER + "/voice", "VoiceMethod", "GET",
                "VoiceFallbackUrl", CUSTOMER + "/fallback", "SmsUrl", CUSTOMER + "/sms", "SmsMethod", "GET",
                "StatusCallback", CUSTOMER + "/status", "StatusCallbackMethod", "GET",
                "VoiceApplicationSid", voiceApp, "SmsApplicationSid", smsApp, "TrunkSid", trunkSid));
        JsonObject before = twilioNumber(number);
        assertThat(before.getString("trunk_sid")).isEqualTo(trunkSid);
        assertThat(before.getString("voice_application_sid")).isEqualTo(voiceApp);

        String id = Api.as(org).body(Map.of("number", number, "providerId", providerId, "label", "Front desk"))
                .post("/v1/phone-numbers")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("number", equalTo(number))
                .body("label", equalTo("Front desk"))
                .body("providerId", equalTo(providerId))
                .body("agentId", nullValue())
                .body("twilioSid", equalTo(before.getString("sid")))
                .body("capabilities.voice", equalTo(true))
                .body("capabilities.sms", equalTo(true))
                .body("createdAt", notNullValue())
                .body("updatedAt", notNullValue())
                .extract().path("id");

        JsonObject imported = twilioNumber(number);
        assertThat(imported.getString("voice_url")).isEqualTo(urls.voiceInbound());
        assertThat(imported.getString("voice_method")).isEqualTo("POST");
        assertThat(imported.getString("sms_url")).isEqualTo(urls.messagingInbound());
        assertThat(imported.getString("sms_method")).isEqualTo("POST");
        assertThat(imported.getString("status_callback")).isEqualTo(urls.voiceStatus());
        assertThat(imported.getString("status_callback_method")).isEqualTo("POST");
        assertThat(imported.getString("voice_application_sid")).isNull();
        assertThat(imported.getString("sms_application_sid")).isNull();
        assertThat(imported.getString("trunk_sid")).isNull();
        assertThat(imported.getString("voice_fallback_url")).isEqualTo(CUSTOMER + "/fallback");

        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(200).body("number", equalTo(number));
        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(204);
        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(404);

        // Given back as it was, and never released.
        assertThat(withoutUpdateDate(twilioNumber(number))).isEqualTo(withoutUpdateDate(before));
    }

    /**
     * Twilio carries out every try of the update but answers each after the client gave up, and the breaker then
     * refuses the restore: the row, the only copy of the configuration from before, stays until the retried import,
     * and the delete after it gives the number back exactly as it was. Released with the failure, that copy was lost,
     * and the retry read this service's own URLs as the number's previous configuration.
     */
    @Test
    void anUnconfirmedImportKeepsThePreviousConfigurationForTheRetry() {
        String number = account.numbers().get(0);
        configureAtTwilio(number, Map.of("VoiceUrl", CUSTOMER + "/voice", "SmsUrl", CUSTOMER + "/sms"));
        JsonObject before = twilioNumber(number);
        // The first try and its 3 retries, each answered after the client's 2 s request timeout in tests.
        simulator.delayRouteAnswers("POST", UPDATE_NUMBER, Duration.ofMillis(2_500), 4);
        int status = Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers")
                .statusCode();
        assertThat(status).isGreaterThanOrEqualTo(500);
        assertThat(twilioNumber(number).getString("voice_url")).isEqualTo(urls.voiceInbound());
        Api.as(org).get("/v1/phone-numbers").then().statusCode(200).body("items.number", hasItem(number));

        // Once the breaker lets requests through again.
        String[] id = new String[1];
        Await.until(Duration.ofSeconds(10), () -> {
            var retried = Api.as(org).body(Map.of("number", number, "providerId", providerId))
                    .post("/v1/phone-numbers");
            id[0] = retried.statusCode() == 201 ? retried.path("id") : null;
            return id[0] != null;
        }, "the retried import");
        Api.as(org).get("/v1/phone-numbers").then().statusCode(200).body("items.number", hasSize(1));
        Api.as(org).delete("/v1/phone-numbers/" + id[0]).then().statusCode(204);
        assertThat(withoutUpdateDate(twilioNumber(number))).isEqualTo(withoutUpdateDate(before));
    }

    @Test
    void aNumberWithNothingConfiguredIsGivenBackEmpty() {
        String number = account.numbers().get(0);
        JsonObject before = twilioNumber(number);
        String id = importNumber(number);
        assertThat(twilioNumber(number).getString("voice_url")).isEqualTo(urls.voiceInbound());
        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(204);
        assertThat(withoutUpdateDate(twilioNumber(number))).isEqualTo(withoutUpdateDate(before));
    }

    @Test
    void aNumberNotInTheAccountIsRefusedAndNothingIsStored() {
        String elsewhere = SimAccount.randomNumber();
        long updates = simulator.requestCount("POST", UPDATE_NUMBER);
        Api.as(org).body(Map.of("number", elsewhere, "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(422)
                .body("error", equalTo("number_not_in_account"))
                .body("details.field", hasItem("number"));
        Api.as(org).get("/v1/phone-numbers").then().statusCode(200).body("items", hasSize(0));
        assertThat(simulator.requestCount("POST", UPDATE_NUMBER)).isEqualTo(updates);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "4155550100", "+0155550100", "+1 415 555 0100", "+1415555010012345", "", "tel:+14155550100" })
    void aNumberThatIsNotE164IsA400NamingIt(String number) {
        Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details.field", hasItem("number"));
        Api.as(org).get("/v1/phone-numbers").then().body("items", hasSize(0));
    }

    @Test
    void missingFieldsAreNamed() {
        Api.as(org).body(Map.of("number", account.numbers().get(0))).post("/v1/phone-numbers")
                .then().statusCode(400).body("details.field", hasItem("providerId"));
        Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", providerId,
                "label", "x".repeat(101))).post("/v1/phone-numbers")
                .then().statusCode(400).body("details.field", hasItem("label"));
        Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", "not-an-id"))
                .post("/v1/phone-numbers")
                .then().statusCode(400).body("details.field", hasItem("providerId"));
        Api.as(org).get("/v1/phone-numbers").then().body("items", hasSize(0));
    }

    @Test
    void aNumberIsImportedOnceAcrossAllOrganizations() {
        String number = account.numbers().get(0);
        importNumber(number);
        JsonObject configured = twilioNumber(number);

        Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(409).body("error", equalTo("number_already_imported"));

        // Another organization connected to the same Twilio account.
        var other = Api.newOrganization();
        String otherProvider = Api.as(other).body(account.providerRequest("Same account")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
        long updates = simulator.requestCount("POST", UPDATE_NUMBER);
        Api.as(other).body(Map.of("number", number, "providerId", otherProvider)).post("/v1/phone-numbers")
                .then().statusCode(409).body("error", equalTo("number_already_imported"));

        assertThat(simulator.requestCount("POST", UPDATE_NUMBER)).isEqualTo(updates);
        assertThat(twilioNumber(number)).isEqualTo(configured);
        Api.as(other).get("/v1/phone-numbers").then().body("items", hasSize(0));
        Api.as(org).get("/v1/phone-numbers").then().body("items", hasSize(1));
    }

    @Test
    void bulkImportReportsEachNumberOnItsOwn() {
        String good1 = account.numbers().get(0);
        String good2 = account.numbers().get(1);
        String already = account.numbers().get(2);
        String notInAccount = SimAccount.randomNumber();
        importNumber(already);

        var numbers = List.of(good1, notInAccount, "4155550100", already, good2, good1);
        Api.as(org).body(Map.of("numbers", numbers)).post("/v1/providers/" + providerId + "/import-numbers")
                .then().statusCode(200)
                .body("imported.number", containsInAnyOrder(good1, good2))
                .body("imported.providerId", containsInAnyOrder(providerId, providerId))
                .body("imported.twilioSid", containsInAnyOrder(twilioNumber(good1).getString("sid"),
                        twilioNumber(good2).getString("sid")))
                .body("failed", hasSize(3))
                .body("failed.find { it.number == '%s' }.error".formatted(notInAccount),
                        equalTo("number_not_in_account"))
                .body("failed.find { it.number == '4155550100' }.error", equalTo("invalid_number"))
                .body("failed.find { it.number == '%s' }.error".formatted(already),
                        equalTo("number_already_imported"));

        Api.as(org).get("/v1/phone-numbers?providerId=" + providerId)
                .then().body("items.number", containsInAnyOrder(good1, good2, already));
        assertThat(twilioNumber(good2).getString("voice_url")).isEqualTo(urls.voiceInbound());
        assertThat(twilioNumber(account.numbers().get(3)).getString("voice_url")).isEmpty();
    }

    @Test
    void bulkImportValidatesTheListAndTheProvider() {
        Api.as(org).body(Map.of("numbers", List.of())).post("/v1/providers/" + providerId + "/import-numbers")
                .then().statusCode(400).body("details.field", hasItem("numbers"));
        Api.as(Api.newOrganization()).body(Map.of("numbers", List.of(account.numbers().get(0))))
                .post("/v1/providers/" + providerId + "/import-numbers")
                .then().statusCode(404);
        assertThat(twilioNumber(account.numbers().get(0)).getString("voice_url")).isEmpty();
    }

    @Test
    void aTwilioFailureWhileConfiguringLeavesNoRowBehind() {
        String number = account.numbers().get(0);
        JsonObject before = twilioNumber(number);
        simulator.failRoute("POST", UPDATE_NUMBER, 400, 21999, 1);
        Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(422).body("error", equalTo("twilio_rejected"));

        Api.as(org).get("/v1/phone-numbers").then().body("items", hasSize(0));
        assertThat(twilioNumber(number)).isEqualTo(before);
        // The claim was released: the number can be imported once Twilio accepts.
        importNumber(number);
    }

    @Test
    void assignsReassignsUnassignsAndLabels() {
        String agentA = agent("A");
        String agentB = agent("B");
        String id = Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", providerId,
                "agentId", agentA)).post("/v1/phone-numbers")
                .then().statusCode(201).body("agentId", equalTo(agentA)).extract().path("id");

        patch(id, Map.of("agentId", agentB)).then().statusCode(200).body("agentId", equalTo(agentB));
        Api.as(org).get("/v1/phone-numbers/" + id).then().body("agentId", equalTo(agentB)).body("label", nullValue());

        patch(id, Map.of("label", "Sales")).then().statusCode(200)
                .body("label", equalTo("Sales")).body("agentId", equalTo(agentB));
        patch(id, nulls("agentId")).then().statusCode(200)
                .body("agentId", nullValue()).body("label", equalTo("Sales"));
        patch(id, nulls("label")).then().statusCode(200).body("label", nullValue());
        Api.as(org).get("/v1/phone-numbers/" + id).then().body("label", nullValue()).body("agentId", nullValue());
    }

    @Test
    void patchRejectsInvalidFieldsAndUnknownAgents() {
        String id = importNumber(account.numbers().get(0));
        patch(id, Map.of("label", "x".repeat(101))).then().statusCode(400).body("details.field", hasItem("label"));
        patch(id, Map.of("agentId", "nope")).then().statusCode(400).body("details.field", hasItem("agentId"));
        patch(id, Map.of("agentId", 42)).then().statusCode(400).body("details.field", hasItem("agentId"));
        patch(id, Map.of("agentId", java.util.UUID.randomUUID().toString())).then().statusCode(404);
        Api.as(org).get("/v1/phone-numbers/" + id).then().body("agentId", nullValue());
    }

    @Test
    void severalNumbersShareAnAgentAndTheListFilters() {
        String agent = agent("Shared");
        String other = agent("Other");
        String n1 = importNumber(account.numbers().get(0));
        String n2 = importNumber(account.numbers().get(1));
        String n3 = importNumber(account.numbers().get(2));
        patch(n1, Map.of("agentId", agent)).then().statusCode(200);
        patch(n2, Map.of("agentId", agent)).then().statusCode(200);
        patch(n3, Map.of("agentId", other)).then().statusCode(200);

        // A second provider of the same organization, to tell the provider filter apart.
        var second = SimAccount.create(simulator, 1);
        String secondProvider = Api.as(org).body(second.providerRequest("Second")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
        String n4 = Api.as(org).body(Map.of("number", second.numbers().get(0), "providerId", secondProvider,
                "agentId", agent)).post("/v1/phone-numbers").then().statusCode(201).extract().path("id");

        Api.as(org).get("/v1/phone-numbers").then().statusCode(200)
                .body("items.id", containsInAnyOrder(n1, n2, n3, n4));
        Api.as(org).get("/v1/phone-numbers?agentId=" + agent).then().body("items.id", containsInAnyOrder(n1, n2, n4));
        Api.as(org).get("/v1/phone-numbers?providerId=" + providerId)
                .then().body("items.id", containsInAnyOrder(n1, n2, n3));
        Api.as(org).get("/v1/phone-numbers?providerId=" + secondProvider + "&agentId=" + agent)
                .then().body("items.id", containsInAnyOrder(n4));
        Api.as(org).get("/v1/phone-numbers?providerId=" + secondProvider + "&agentId=" + other)
                .then().body("items", hasSize(0));
        Api.as(org).get("/v1/phone-numbers?limit=2").then().body("items", hasSize(2))
                .body("nextCursor", notNullValue());
    }

    @Test
    void aMalformedFilterIsA400NamingIt() {
        Api.as(org).get("/v1/phone-numbers?providerId=abc").then().statusCode(400)
                .body("details.field", hasItem("providerId"));
        Api.as(org).get("/v1/phone-numbers?agentId=123").then().statusCode(400)
                .body("details.field", hasItem("agentId"));
    }

    @Test
    void assignedNumbersAndAgentsWithNumbersCannotBeDeleted() {
        String agent = agent("Busy");
        String id = importNumber(account.numbers().get(0));
        patch(id, Map.of("agentId", agent)).then().statusCode(200);
        long updates = simulator.requestCount("POST", UPDATE_NUMBER);

        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(409).body("error", equalTo("number_assigned"));
        Api.as(org).delete("/v1/agents/" + agent).then().statusCode(409).body("error", equalTo("agent_in_use"));
        assertThat(simulator.requestCount("POST", UPDATE_NUMBER)).isEqualTo(updates);
        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(200).body("agentId", equalTo(agent));
        Api.as(org).get("/v1/agents/" + agent).then().statusCode(200);

        patch(id, nulls("agentId")).then().statusCode(200);
        Api.as(org).delete("/v1/agents/" + agent).then().statusCode(204);
        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(204);
    }

    @Test
    void aFailedRestoreKeepsTheNumberUnlessForced() {
        String number = account.numbers().get(0);
        String id = importNumber(number);
        JsonObject imported = twilioNumber(number);

        simulator.failRoute("POST", UPDATE_NUMBER, 400, 21999, 1);
        Api.as(org).delete("/v1/phone-numbers/" + id).then().statusCode(502)
                .body("error", equalTo("twilio_restore_failed"));
        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(200);
        assertThat(twilioNumber(number)).isEqualTo(imported);

        simulator.failRoute("POST", UPDATE_NUMBER, 400, 21999, 1);
        Api.as(org).delete("/v1/phone-numbers/" + id + "?force=true").then().statusCode(204);
        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(404);
        // The number left the account at Twilio: it can be imported again.
        importNumber(number);
    }

    @Test
    void anotherOrganizationCannotSeeOrTouchTheNumbers() {
        String agent = agent("Mine");
        String id = importNumber(account.numbers().get(0));
        patch(id, Map.of("agentId", agent)).then().statusCode(200);

        var other = Api.newOrganization();
        String othersAgent = Api.as(other).body(agentBody("Theirs")).post("/v1/agents")
                .then().statusCode(201).extract().path("id");
        Api.as(other).get("/v1/phone-numbers/" + id).then().statusCode(404);
        Api.as(other).get("/v1/phone-numbers").then().statusCode(200).body("items", hasSize(0));
        Api.as(other).get("/v1/phone-numbers?providerId=" + providerId).then().body("items", hasSize(0));
        Api.as(other).get("/v1/phone-numbers?agentId=" + agent).then().body("items", hasSize(0));
        Api.as(other).body(Map.of("label", "mine now")).patch("/v1/phone-numbers/" + id).then().statusCode(404);
        Api.as(other).body(nulls("agentId")).patch("/v1/phone-numbers/" + id).then().statusCode(404);
        Api.as(other).delete("/v1/phone-numbers/" + id).then().statusCode(404);
        Api.as(other).delete("/v1/phone-numbers/" + id + "?force=true").then().statusCode(404);
        Api.as(other).body(Map.of("number", account.numbers().get(1), "providerId", providerId))
                .post("/v1/phone-numbers").then().statusCode(404);
        Api.as(other).body(Map.of("numbers", List.of(account.numbers().get(1))))
                .post("/v1/providers/" + providerId + "/import-numbers").then().statusCode(404);

        // Assigning another organization's agent, on update or on import, is as if it did not exist.
        patch(id, Map.of("agentId", othersAgent)).then().statusCode(404);
        Api.as(org).body(Map.of("number", account.numbers().get(1), "providerId", providerId, "agentId", othersAgent))
                .post("/v1/phone-numbers").then().statusCode(404);
        assertThat(twilioNumber(account.numbers().get(1)).getString("voice_url")).isEmpty();

        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(200)
                .body("agentId", equalTo(agent)).body("label", nullValue());
        Api.as(org).get("/v1/phone-numbers").then().body("items.id", containsInAnyOrder(id));
    }

    @Test
    void aNumberAssignedWhileItIsBeingDeletedStaysImportedAndPointingHere() throws Exception {
        String number = account.numbers().get(0);
        String id = importNumber(number);
        String agent = agent("Late");
        var before = simulator.faults();
        CompletableFuture<Response> deleting;
        try {
            // Twilio answers slowly, so the assignment lands while the delete waits on the restore.
            simulator.setFaults(before.withLatency(Duration.ofMillis(1_500)));
            deleting = CompletableFuture.supplyAsync(
                    () -> Api.as(org).delete("/v1/phone-numbers/" + id));
            Thread.sleep(400);
            patch(id, Map.of("agentId", agent)).then().statusCode(200);
            var deleted = deleting.get(20, TimeUnit.SECONDS);
            assertThat(deleted.statusCode()).isEqualTo(409);
            assertThat(deleted.jsonPath().getString("error")).isEqualTo("number_assigned");
        } finally {
            simulator.setFaults(before);
        }
        Api.as(org).get("/v1/phone-numbers/" + id).then().statusCode(200).body("agentId", equalTo(agent));
        assertThat(twilioNumber(number).getString("voice_url")).isEqualTo(urls.voiceInbound());
    }

    private String importNumber(String number) {
        return Api.as(org).body(Map.of("number", number, "providerId", providerId)).post("/v1/phone-numbers")
                .then().statusCode(201).extract().path("id");
    }

    private String agent(String name) {
        return Api.as(org).body(agentBody(name)).post("/v1/agents").then().statusCode(201).extract().path("id");
    }

    private static Map<String, Object> agentBody(String name) {
        return Map.of("name", name, "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"));
    }

    private io.restassured.response.Response patch(String id, Map<String, ?> body) {
        return Api.as(org).body(body).patch("/v1/phone-numbers/" + id);
    }

    /** A body whose one field is an explicit JSON null (Map.of refuses null values). */
    private static Map<String, Object> nulls(String field) {
        var body = new HashMap<String, Object>();
        body.put(field, null);
        return body;
    }

    /** Sets fields of the number at Twilio the way the customer would, through the simulator's REST API. */
    private void configureAtTwilio(String number, Map<String, String> fields) {
        String sid = twilioNumber(number).getString("sid");
        var request = given().auth().preemptive().basic(account.accountSid(), account.authToken());
        fields.forEach(request::formParam);
        request.post("/sim/api/2010-04-01/Accounts/" + account.accountSid() + "/IncomingPhoneNumbers/" + sid + ".json")
                .then().statusCode(200);
    }

    private JsonObject twilioNumber(String number) {
        return simulator.number(account.accountSid(), number).orElseThrow();
    }

    private static JsonObject withoutUpdateDate(JsonObject number) {
        var copy = number.copy();
        copy.remove("date_updated");
        return copy;
    }
}
