package io.switchboard.common;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** {@code /} points a newcomer to the API description instead of a bare 404. */
@QuarkusTest
class IndexResourceTest {

    @Test
    void theRootPointsToTheApiDescription() {
        given().get("/").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("service", equalTo("switchboard"))
                .body("openapi", equalTo("/q/openapi"))
                // The test profile serves the Swagger UI, as dev mode does; a packaged application leaves it out.
                .body("swaggerUi", equalTo("/q/swagger-ui"))
                .body("health", equalTo("/q/health"));
        given().get("/q/openapi").then().statusCode(200);
        given().get("/q/swagger-ui/").then().statusCode(200);
        // Only the root: anything else unknown is still a 404.
        given().get("/nothing-here").then().statusCode(404);
    }
}
