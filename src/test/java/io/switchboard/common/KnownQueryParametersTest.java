package io.switchboard.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.switchboard.call.CallResource;
import io.switchboard.support.Api;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A query parameter an operation does not declare is refused, as an unknown body field is, not ignored. */
@QuarkusTest
class KnownQueryParametersTest {

    private static final Map<String, Object> AGENT = Map.of("name", "bot",
            "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media"));

    @Test
    void anUnknownQueryParameterIsA400NamingEachOne() {
        var org = Api.newOrganization();
        var answer = refused(Api.as(org).queryParam("limit", 5).queryParam("colour", "blue").get("/v1/agents"));
        assertThat(answer.getList("details.field")).containsExactly("colour");
        assertThat(answer.getString("details[0].message"))
                .isEqualTo("unknown query parameter; this operation takes cursor, limit");
        // A misspelt filter would otherwise answer the whole list as if it were the filtered one.
        answer = refused(Api.as(org).queryParam("stauts", "failed").queryParam("sid", "CA1")
                .queryParam("Batchid", "x").get("/v1/calls"));
        assertThat(answer.getList("details.field")).containsExactly("Batchid", "stauts");
        answer = refused(Api.as(org).queryParam("verbose", "1").get("/v1/calls/" + UUID.randomUUID()));
        assertThat(answer.getString("details[0].message"))
                .isEqualTo("unknown query parameter; this operation takes none");
    }

    @Test
    void aRefusedRequestChangesNothing() {
        var org = Api.newOrganization();
        refused(Api.as(org).queryParam("dryRun", "true").body(AGENT).post("/v1/agents"));
        assertThat(Api.as(org).get("/v1/agents").then().statusCode(200).extract().jsonPath().getList("items"))
                .isEmpty();
        // A declared one is taken as before.
        Api.as(org).queryParam("force", "true").delete("/v1/providers/" + UUID.randomUUID()).then().statusCode(404);
        Api.as(org).queryParam("limit", 1).queryParam("cursor", "").get("/v1/agents").then().statusCode(200);
    }

    @Test
    void theCallerIsAuthenticatedFirstAndOnlyV1IsChecked() {
        given().queryParam("colour", "blue").get("/v1/agents").then().statusCode(401);
        given().queryParam("colour", "blue").get("/q/health/live").then().statusCode(200);
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200);
    }

    @Test
    void theDeclaredNamesAreReadFromTheResourceMethod() {
        var list = Arrays.stream(CallResource.class.getMethods()).filter(m -> m.getName().equals("list"))
                .findFirst().orElseThrow();
        assertThat(KnownQueryParameters.declaredBy(CallResource.class, list))
                .containsExactlyInAnyOrderElementsOf(List.of("batchId", "status", "sid", "order", "limit", "cursor"));
    }

    private static JsonPath refused(io.restassured.response.Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        var body = response.jsonPath();
        assertThat(body.getString("error")).isEqualTo("invalid_request");
        return body;
    }
}
