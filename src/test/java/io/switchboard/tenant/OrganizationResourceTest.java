package io.switchboard.tenant;

import static io.restassured.RestAssured.given;
import static io.switchboard.support.Api.asAdmin;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.support.Api;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class OrganizationResourceTest {

    @Test
    void operatorCreatesAnOrganizationAndSeesItsKeyOnce() {
        var org = asAdmin().body(Map.of("name", "  Acme Voice  "))
                .post("/v1/organizations")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("name", equalTo("Acme Voice"))
                .body("apiKey", matchesPattern("sb_[A-Za-z0-9_-]{43}"))
                .extract().jsonPath();

        // The key works at once, and listing keys never shows it again.
        Api.as(org.getString("apiKey")).get("/v1/api-keys")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].apiKey", equalTo(null))
                .body("items[0].prefix", equalTo(org.getString("apiKey").substring(0, 9)))
                .body("nextCursor", equalTo(null));
    }

    @Test
    void nameIsRequiredAndBounded() {
        asAdmin().body(Map.of()).post("/v1/organizations")
                .then().statusCode(400)
                .body("error", equalTo("invalid_request"))
                .body("details[0].field", equalTo("name"));
        asAdmin().body(Map.of("name", "x".repeat(101))).post("/v1/organizations")
                .then().statusCode(400)
                .body("details[0].field", equalTo("name"));
        asAdmin().body("{\"name\": ").post("/v1/organizations")
                .then().statusCode(400)
                .body("error", equalTo("malformed_request"));
        asAdmin().body(Map.of("name", 42)).post("/v1/organizations")
                .then().statusCode(400)
                .body("details[0].field", equalTo("name"));
        asAdmin().body(Map.of("name", "ok", "nmae", "typo")).post("/v1/organizations")
                .then().statusCode(400)
                .body("details[0].field", equalTo("nmae"))
                .body("details[0].message", equalTo("unknown field"));
    }

    @Test
    void onlyTheOperatorCreatesOrganizations() {
        var org = Api.newOrganization();
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/v1/organizations")
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        given().auth().oauth2("wrong").contentType(ContentType.JSON).body(Map.of("name", "x"))
                .post("/v1/organizations")
                .then().statusCode(401);
        Api.as(org).body(Map.of("name", "x")).post("/v1/organizations")
                .then().statusCode(401);
        Api.as(org).post("/v1/organizations/" + org.id() + "/api-keys")
                .then().statusCode(401);
    }

    @Test
    void operatorIssuesMoreKeysToAnExistingOrganization() {
        var org = Api.newOrganization();
        String second = asAdmin().post("/v1/organizations/" + org.id() + "/api-keys")
                .then().statusCode(201)
                .body("id", notNullValue())
                .extract().path("apiKey");
        Api.as(second).get("/v1/api-keys").then().statusCode(200).body("items", hasSize(2));

        asAdmin().post("/v1/organizations/" + java.util.UUID.randomUUID() + "/api-keys")
                .then().statusCode(404).body("error", equalTo("not_found"));
    }
}
