package io.switchboard.support;

import static io.restassured.RestAssured.given;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;

/** Test helpers that drive the management API the way a client does. */
public final class Api {

    public static final String ADMIN_TOKEN = "test-admin-token-not-a-secret";

    public record Org(String id, String apiKey) {
    }

    static {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
    }

    private Api() {
    }

    public static RequestSpecification asAdmin() {
        return given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON);
    }

    public static RequestSpecification as(Org org) {
        return as(org.apiKey());
    }

    public static RequestSpecification as(String apiKey) {
        return given().auth().oauth2(apiKey).contentType(ContentType.JSON);
    }

    /** A new organization with a unique name; tests share one database and never assume it is empty. */
    public static Org newOrganization() {
        var body = asAdmin().body(Map.of("name", "org-" + UUID.randomUUID()))
                .post("/v1/organizations")
                .then().statusCode(201)
                .extract().jsonPath();
        return new Org(body.getString("id"), body.getString("apiKey"));
    }
}
