package io.switchboard.tenant;

import static io.restassured.RestAssured.given;
import static io.switchboard.support.Api.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class ApiKeyAuthTest {

    @Test
    void missingKeyIs401() {
        given().get("/v1/api-keys")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("error", equalTo("unauthorized"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").get("/v1/api-keys").then().statusCode(401);
    }

    @Test
    void wrongKeyIs401() {
        var org = Api.newOrganization();
        Api.as(org.apiKey() + "x").get("/v1/api-keys").then().statusCode(401);
        Api.as("sb_" + "A".repeat(43)).get("/v1/api-keys").then().statusCode(401);
        // The operator's token is not an organization's key.
        Api.as(Api.ADMIN_TOKEN).get("/v1/api-keys").then().statusCode(401);
    }

    @Test
    void revokedKeyIs401AtOnceWhileOtherKeysKeepWorking() {
        var org = Api.newOrganization();
        var second = asAdmin().post("/v1/organizations/" + org.id() + "/api-keys")
                .then().statusCode(201).extract().jsonPath();

        Api.as(org).delete("/v1/api-keys/" + second.getString("id")).then().statusCode(204);

        Api.as(second.getString("apiKey")).get("/v1/api-keys").then().statusCode(401);
        Api.as(org).get("/v1/api-keys").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.find { it.id == '%s' }.revokedAt".formatted(second.getString("id")), notNullValue());
    }

    @Test
    void operatorRevokesAnyKey() {
        var org = Api.newOrganization();
        String keyId = Api.as(org).get("/v1/api-keys").then().extract().path("items[0].id");
        asAdmin().delete("/v1/api-keys/" + keyId).then().statusCode(204);
        Api.as(org).get("/v1/api-keys").then().statusCode(401);
    }

    @Test
    void listIsPagedWithACursor() {
        var org = Api.newOrganization();
        for (int i = 0; i < 4; i++) {
            asAdmin().post("/v1/organizations/" + org.id() + "/api-keys").then().statusCode(201);
        }
        var first = Api.as(org).queryParam("limit", 2).get("/v1/api-keys")
                .then().statusCode(200).body("items", hasSize(2)).body("nextCursor", notNullValue())
                .extract().jsonPath();
        var second = Api.as(org).queryParam("limit", 2).queryParam("cursor", first.getString("nextCursor"))
                .get("/v1/api-keys")
                .then().statusCode(200).body("items", hasSize(2)).extract().jsonPath();
        var third = Api.as(org).queryParam("limit", 2).queryParam("cursor", second.getString("nextCursor"))
                .get("/v1/api-keys")
                .then().statusCode(200).body("items", hasSize(1)).body("nextCursor", equalTo(null))
                .extract().jsonPath();
        var ids = new java.util.HashSet<String>();
        ids.addAll(first.getList("items.id"));
        ids.addAll(second.getList("items.id"));
        ids.addAll(third.getList("items.id"));
        assertThat(ids).hasSize(5);

        Api.as(org).queryParam("limit", 0).get("/v1/api-keys")
                .then().statusCode(400).body("details[0].field", equalTo("limit"));
        Api.as(org).queryParam("limit", 501).get("/v1/api-keys")
                .then().statusCode(400).body("details[0].field", equalTo("limit"));
        Api.as(org).queryParam("cursor", "not-a-cursor").get("/v1/api-keys")
                .then().statusCode(400).body("details[0].field", equalTo("cursor"));
    }
}
