package io.switchboard.tenant;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TenantIsolationTest {

    @Test
    void anOrganizationNeitherSeesNorTouchesAnothersKeys() {
        var a = Api.newOrganization();
        var b = Api.newOrganization();
        String bKeyId = Api.as(b).get("/v1/api-keys").then().extract().path("items[0].id");
        String aKeyId = Api.as(a).get("/v1/api-keys").then().extract().path("items[0].id");

        Api.as(a).get("/v1/api-keys").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items.id", not(hasItem(bKeyId)))
                .body("items.id", everyItem(equalTo(aKeyId)));

        // 404, never 403: B's key does not exist as far as A can tell, and it keeps working.
        Api.as(a).delete("/v1/api-keys/" + bKeyId).then().statusCode(404).body("error", equalTo("not_found"));
        Api.as(b).get("/v1/api-keys").then().statusCode(200).body("items[0].revokedAt", equalTo(null));
    }
}
