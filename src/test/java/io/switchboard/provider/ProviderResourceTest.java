package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.LogCapture;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@QuarkusTest
class ProviderResourceTest {

    private static final String TRUNKS = "/v1/Trunks";
    private static final String CREDENTIAL_LISTS = "/2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists.json";

    @Inject
    TwilioSimulator simulator;

    private Api.Org org;
    private SimAccount account;

    @BeforeEach
    void setUp() {
        org = Api.newOrganization();
        account = SimAccount.create(simulator, 2);
    }

    @Test
    void connectsAnAccountAndProvisionsItsTrunk() {
        String body = Api.as(org).body(account.providerRequest("Acme US")).post("/v1/providers")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("type", equalTo("twilio"))
                .body("accountSid", equalTo(account.accountSid()))
                .body("region", equalTo("us1"))
                .body("edge", equalTo("ashburn"))
                .body("verificationStatus", equalTo("verified"))
                .body("verification.checks.name", hasItem("credentials"))
                .body("verification.checks.status", everyItem(equalTo("ok")))
                .body("lastVerifiedAt", notNullValue())
                .body("phoneNumberCount", equalTo(0))
                .body("trunkSid", startsWith("TK"))
                .body("terminationUri", matchesPattern("switchboard-[0-9a-f]{16}\\.pstn\\.twilio\\.com"))
                .body("sipUsername", startsWith("sb-"))
                .body("supportsTransfers", equalTo(false))
                .extract().asString();
        assertThat(body).doesNotContain(account.authToken()).doesNotContainIgnoringCase("password")
                .doesNotContain("Enc");

        var trunk = simulator.trunks().stream()
                .filter(t -> t.getString("account_sid").equals(account.accountSid())).toList();
        assertThat(trunk).hasSize(1);
        assertThat(simulator.requestCount("POST", "/v1/Trunks/{TrunkSid}/CredentialLists")).isPositive();
    }

    @Test
    void connectsInAnotherRegionThroughItsEdge() {
        // IE1 credentials are IE1's own: the account's US1 token would be refused there.
        String ie1Token = SimAccount.hex(16);
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.IE1, ie1Token);
        var request = new HashMap<>(account.providerRequest("Acme IE"));
        request.put("region", "ie1");
        request.put("authToken", ie1Token);
        Api.as(org).body(request).post("/v1/providers")
                .then().statusCode(201)
                .body("region", equalTo("ie1"))
                .body("edge", equalTo("dublin"))
                .body("terminationUri", matchesPattern("switchboard-[0-9a-f]{16}\\.pstn\\.dublin\\.twilio\\.com"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "type       | voip",
        "name       | ''",
        "accountSid | AC123",
        "accountSid | ACFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "authToken  | 0123456789ABCDEF0123456789ABCDEF",
        "authToken  | short",
        "apiKeySid  | SK123",
        "region     | us2",
        "edge       | Not An Edge",
        "edge       | atlantis",
    })
    void rejectsEachInvalidFieldByName(String field, String value) {
        var request = new HashMap<String, Object>(account.providerRequest("Acme"));
        request.put(field, value);
        if (field.equals("apiKeySid")) {
            request.put("apiKeySecret", "a-secret-of-some-length");
        }
        Api.as(org).body(request).post("/v1/providers")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details.field", hasItem(field));
        Api.as(org).get("/v1/providers").then().body("items", hasSize(0));
    }

    @Test
    void thePaceTwilioAllowsTheAccountIsSetPerProvider() {
        var request = new HashMap<String, Object>(account.providerRequest("Raised"));
        request.put("callsPerSecond", 30);
        String id = Api.as(org).body(request).post("/v1/providers").then().statusCode(201)
                .body("callsPerSecond", equalTo(30.0f))
                .body("segmentsPerSecond", equalTo(null))
                .extract().path("id");

        Api.as(org).body(Map.of("segmentsPerSecond", 3)).patch("/v1/providers/" + id).then().statusCode(200)
                .body("callsPerSecond", equalTo(30.0f))
                .body("segmentsPerSecond", equalTo(3.0f));
        Api.as(org).get("/v1/providers/" + id).then().statusCode(200)
                .body("callsPerSecond", equalTo(30.0f))
                .body("segmentsPerSecond", equalTo(3.0f));
    }

    @ParameterizedTest
    @CsvSource({ "callsPerSecond, 0", "callsPerSecond, -1", "segmentsPerSecond, 0" })
    void aPaceOfZeroOrLessIsA400NamingTheField(String field, double pace) {
        var request = new HashMap<String, Object>(account.providerRequest("Stopped"));
        request.put(field, pace);
        Api.as(org).body(request).post("/v1/providers").then().statusCode(400)
                .body("details.field", hasItem(field));
        Api.as(org).get("/v1/providers").then().body("items", hasSize(0));

        String id = create();
        Api.as(org).body(Map.of(field, pace)).patch("/v1/providers/" + id).then().statusCode(400)
                .body("details.field", hasItem(field));
        Api.as(org).get("/v1/providers/" + id).then().body(field, equalTo(null));
    }

    @Test
    void anInvalidSecretIsNeverEchoed() {
        var request = new HashMap<String, Object>(account.providerRequest("Acme"));
        request.put("authToken", "NOT-A-TOKEN-but-a-secret-anyway!");
        String body = Api.as(org).body(request).post("/v1/providers").then().statusCode(400).extract().asString();
        assertThat(body).doesNotContain("NOT-A-TOKEN");
    }

    @Test
    void refusedCredentialsStoreNothingAndCreateNothing() {
        var request = new HashMap<String, Object>(account.providerRequest("Acme"));
        request.put("authToken", SimAccount.hex(16));
        int trunksBefore = simulator.trunks().size();
        Api.as(org).body(request).post("/v1/providers")
                .then().statusCode(422)
                .body("error", equalTo("twilio_auth_failed"));
        Api.as(org).get("/v1/providers").then().body("items", hasSize(0));
        assertThat(simulator.trunks()).hasSize(trunksBefore);
    }

    @Test
    void anApiKeyOnlyProviderWorksButWarnsThatWebhooksCannotBeVerified() {
        String keySid = "SK" + SimAccount.hex(16);
        String secret = "key-secret-" + SimAccount.hex(8);
        simulator.addApiKey(account.accountSid(), keySid, secret);
        var request = Map.of("type", "twilio", "name", "Key only", "accountSid", account.accountSid(),
                "apiKeySid", keySid, "apiKeySecret", secret);
        Api.as(org).body(request).post("/v1/providers")
                .then().statusCode(201)
                .body("verificationStatus", equalTo("warning"))
                .body("verification.checks.find { it.name == 'webhook_signatures' }.status", equalTo("warning"))
                .body("trunkSid", startsWith("TK"));
    }

    @Test
    void theSameAccountAndRegionTwiceIsAConflict() {
        Api.as(org).body(account.providerRequest("First")).post("/v1/providers").then().statusCode(201);
        int trunks = simulator.trunks().size();
        Api.as(org).body(account.providerRequest("Second")).post("/v1/providers")
                .then().statusCode(409).body("error", equalTo("provider_exists"));
        assertThat(simulator.trunks()).hasSize(trunks);
        // Another organization may connect the same account.
        Api.as(Api.newOrganization()).body(account.providerRequest("Elsewhere")).post("/v1/providers")
                .then().statusCode(201);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "POST | /v1/Trunks                                                                      | trunk",
        "POST | /2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists.json                      | credentialList",
        "POST | /2010-04-01/Accounts/{AccountSid}/SIP/CredentialLists/{CredentialListSid}/Credentials.json | credential",
        "POST | /v1/Trunks/{TrunkSid}/CredentialLists                                           | attachCredentialList",
    })
    void aFailureAtAnyProvisioningStepLeavesNothingBehind(String method, String route, String step) {
        simulator.failRoute(method, route, 400, 21999, 1);
        Api.as(org).body(account.providerRequest("Half")).post("/v1/providers")
                .then().statusCode(422)
                .body("error", equalTo("provisioning_failed"))
                .body("details[0].field", equalTo("provisioning." + step));

        Api.as(org).get("/v1/providers").then().body("items", hasSize(0));
        assertThat(simulator.trunks().stream().filter(t -> t.getString("account_sid").equals(account.accountSid())))
                .isEmpty();
        assertThat(credentialListsOf(account)).isZero();
    }

    @Test
    void twilioUnreachableIsA502NotA500() {
        simulator.failRoute("POST", TRUNKS, 503, 20503, 1);
        Api.as(org).body(account.providerRequest("Down")).post("/v1/providers")
                .then().statusCode(502)
                .body("error", equalTo("provisioning_failed"));
        Api.as(org).get("/v1/providers").then().body("items", hasSize(0));
    }

    @Test
    void verifyRunsTheChecksAgainAndReportsAMissingTrunk() {
        String id = create();
        Api.as(org).post("/v1/providers/" + id + "/verify").then().statusCode(200)
                .body("verificationStatus", equalTo("verified"));

        String trunkSid = Api.as(org).get("/v1/providers/" + id).then().extract().path("trunkSid");
        simulator.failRoute("GET", "/v1/Trunks/{Sid}", 404, 20404, 1);
        // The provider reads as bad as its worst check: a failed check is never under an overall warning.
        Api.as(org).post("/v1/providers/" + id + "/verify").then().statusCode(200)
                .body("verificationStatus", equalTo("failed"))
                .body("verification.checks.find { it.name == 'trunk' }.status", equalTo("failed"))
                .body("verification.checks.find { it.name == 'trunk' }.message",
                        containsString(trunkSid));

        simulator.rotateAuthToken(account.accountSid(), SimAccount.hex(16));
        Api.as(org).post("/v1/providers/" + id + "/verify").then().statusCode(200)
                .body("verificationStatus", equalTo("failed"));
    }

    @Test
    void renamesWithoutTouchingTwilio() {
        String id = create();
        long before = simulator.requests().size();
        Api.as(org).body(Map.of("name", "Renamed")).patch("/v1/providers/" + id)
                .then().statusCode(200).body("name", equalTo("Renamed"));
        // An empty patch changes nothing, and is no error.
        Api.as(org).body(Map.of()).patch("/v1/providers/" + id)
                .then().statusCode(200).body("name", equalTo("Renamed"));
        Api.as(org).body(Map.of("name", "")).patch("/v1/providers/" + id)
                .then().statusCode(400).body("details[0].field", equalTo("name"));
        assertThat(simulator.requests()).hasSize((int) before);
    }

    @Test
    void rotationAppliesNewCredentialsOnlyWhenTheyWork() {
        String id = create();
        String newToken = SimAccount.hex(16);

        // Not yet changed at Twilio: the new token is refused and the old one stays.
        Api.as(org).body(Map.of("authToken", newToken)).patch("/v1/providers/" + id)
                .then().statusCode(422).body("error", equalTo("twilio_auth_failed"));
        Api.as(org).post("/v1/providers/" + id + "/verify").then().body("verificationStatus", equalTo("verified"));

        simulator.rotateAuthToken(account.accountSid(), newToken);
        Api.as(org).body(Map.of("authToken", newToken)).patch("/v1/providers/" + id)
                .then().statusCode(200);
        Api.as(org).post("/v1/providers/" + id + "/verify").then().body("verificationStatus", equalTo("verified"));
    }

    @Test
    void rotationIsRefusedWhenAnImportedNumberIsUnreachable() {
        String id = create();
        Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", id)).post("/v1/phone-numbers")
                .then().statusCode(201);
        String newToken = SimAccount.hex(16);
        simulator.rotateAuthToken(account.accountSid(), newToken);
        simulator.removeNumber(account.accountSid(), account.numbers().get(0));

        Api.as(org).body(Map.of("authToken", newToken)).patch("/v1/providers/" + id)
                .then().statusCode(422)
                .body("error", equalTo("numbers_unreachable"))
                .body("details.field", hasItem(account.numbers().get(0)));
    }

    @Test
    void deleteIsRefusedWhileNumbersAreImportedThenRemovesTheTrunk() {
        String id = create();
        String numberId = Api.as(org).body(Map.of("number", account.numbers().get(0), "providerId", id))
                .post("/v1/phone-numbers").then().statusCode(201).extract().path("id");
        Api.as(org).delete("/v1/providers/" + id).then().statusCode(409).body("error", equalTo("provider_in_use"));

        Api.as(org).delete("/v1/phone-numbers/" + numberId).then().statusCode(204);
        Api.as(org).delete("/v1/providers/" + id).then().statusCode(204);
        Api.as(org).get("/v1/providers/" + id).then().statusCode(404);
        assertThat(simulator.trunks().stream().filter(t -> t.getString("account_sid").equals(account.accountSid())))
                .isEmpty();
        assertThat(credentialListsOf(account)).isZero();
    }

    @Test
    void availableNumbersMarksTheImportedOnes() {
        String id = create();
        Api.as(org).body(Map.of("number", account.numbers().get(1), "providerId", id)).post("/v1/phone-numbers")
                .then().statusCode(201);
        Api.as(org).get("/v1/providers/" + id + "/available-numbers")
                .then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.find { it.number == '%s' }.imported".formatted(account.numbers().get(0)), equalTo(false))
                .body("items.find { it.number == '%s' }.imported".formatted(account.numbers().get(1)), equalTo(true))
                .body("items[0].sid", startsWith("PN"))
                .body("items[0].capabilities.voice", equalTo(true));
    }

    @Test
    void anotherOrganizationCannotSeeOrTouchTheProvider() {
        String id = create();
        var other = Api.newOrganization();
        Api.as(other).get("/v1/providers/" + id).then().statusCode(404);
        Api.as(other).get("/v1/providers").then().body("items", hasSize(0));
        Api.as(other).post("/v1/providers/" + id + "/verify").then().statusCode(404);
        Api.as(other).body(Map.of("name", "x")).patch("/v1/providers/" + id).then().statusCode(404);
        Api.as(other).delete("/v1/providers/" + id).then().statusCode(404);
        Api.as(other).get("/v1/providers/" + id + "/available-numbers").then().statusCode(404);
        Api.as(other).body(Map.of("number", account.numbers().get(0), "providerId", id)).post("/v1/phone-numbers")
                .then().statusCode(404);
        Api.as(org).get("/v1/providers/" + id).then().statusCode(200).body("name", equalTo("Acme"));
    }

    @Test
    void noSecretAppearsInAnyLogLine() {
        String newToken = SimAccount.hex(16);
        String keySid = "SK" + SimAccount.hex(16);
        String keySecret = "key-secret-" + SimAccount.hex(8);
        simulator.addApiKey(account.accountSid(), keySid, keySecret);
        try (var logs = LogCapture.start()) {
            var request = new HashMap<String, Object>(account.providerRequest("Logged"));
            request.put("apiKeySid", keySid);
            request.put("apiKeySecret", keySecret);
            String id = Api.as(org).body(request).post("/v1/providers").then().statusCode(201).extract().path("id");
            Api.as(org).post("/v1/providers/" + id + "/verify").then().statusCode(200);
            Api.as(org).body(Map.of("authToken", newToken)).patch("/v1/providers/" + id).then().statusCode(422);
            simulator.rotateAuthToken(account.accountSid(), newToken);
            Api.as(org).body(Map.of("authToken", newToken)).patch("/v1/providers/" + id).then().statusCode(200);
            simulator.failRoute("DELETE", "/v1/Trunks/{Sid}", 403, 20403, 2);
            Api.as(org).delete("/v1/providers/" + id).then().statusCode(502);
            Api.as(org).delete("/v1/providers/" + id + "?force=true").then().statusCode(204);

            String sipPassword = simulator.requests().stream()
                    .filter(r -> r.route().endsWith("/Credentials.json") && r.accountSid().equals(account.accountSid()))
                    .map(r -> r.params().get("Password").get(0)).findFirst().orElseThrow();
            assertThat(logs.all()).contains("connected").contains("rotated").contains("without Twilio cleanup");
            assertThat(logs.all()).doesNotContain(account.authToken()).doesNotContain(newToken)
                    .doesNotContain(keySecret).doesNotContain(sipPassword);
        }
    }

    private String create() {
        return Api.as(org).body(account.providerRequest("Acme")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
    }

    private long credentialListsOf(SimAccount owner) {
        long created = simulator.requests().stream()
                .filter(r -> r.method().equals("POST") && r.route().equals(CREDENTIAL_LISTS)
                        && owner.accountSid().equals(r.accountSid()) && r.status() == 201)
                .count();
        long deleted = simulator.requests().stream()
                .filter(r -> r.method().equals("DELETE") && r.route().startsWith(CREDENTIAL_LISTS.replace(".json", ""))
                        && owner.accountSid().equals(r.accountSid()) && r.status() == 204)
                .count();
        return created - deleted;
    }
}
