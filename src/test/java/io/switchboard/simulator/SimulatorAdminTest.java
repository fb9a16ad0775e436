package io.switchboard.simulator;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.switchboard.support.SimAccount;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The simulator's admin API keeps an account as it is unless told to change it. */
@QuarkusTest
class SimulatorAdminTest {

    @Test
    void anAccountOfAnExistingSidIsRefusedAndKeepsItsNumbers() {
        String sid = "AC" + SimAccount.hex(16);
        String token = SimAccount.hex(16);
        given().contentType(ContentType.JSON).body(Map.of("accountSid", sid, "authToken", token))
                .post("/sim/admin/accounts").then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("phoneNumber", "+14155550177"))
                .post("/sim/admin/accounts/" + sid + "/numbers").then().statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("accountSid", sid, "authToken", SimAccount.hex(16)))
                .post("/sim/admin/accounts").then().statusCode(409);

        SimAccounts.as(sid, token).get("/sim/api/2010-04-01/Accounts/" + sid + "/IncomingPhoneNumbers.json")
                .then().statusCode(200).body("incoming_phone_numbers.phone_number[0]", equalTo("+14155550177"));
    }

    @Test
    void rotatingTheAuthTokenEndsTheOldOneAtOnce() {
        String sid = "AC" + SimAccount.hex(16);
        String old = SimAccount.hex(16);
        String next = SimAccount.hex(16);
        given().contentType(ContentType.JSON).body(Map.of("accountSid", sid, "authToken", old))
                .post("/sim/admin/accounts").then().statusCode(201);

        given().contentType(ContentType.JSON).body(Map.of("authToken", next))
                .post("/sim/admin/accounts/" + sid + "/auth-token").then().statusCode(200)
                .body("authToken", equalTo(next));

        SimAccounts.as(sid, old).get("/sim/api/2010-04-01/Accounts/" + sid + ".json").then().statusCode(401);
        SimAccounts.as(sid, next).get("/sim/api/2010-04-01/Accounts/" + sid + ".json").then().statusCode(200);
        // Without a token given, one is made and returned.
        given().contentType(ContentType.JSON).body("{}").post("/sim/admin/accounts/" + sid + "/auth-token").then()
                .statusCode(200).body("authToken", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{32}"));
    }
}
