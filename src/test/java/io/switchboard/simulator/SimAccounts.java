package io.switchboard.simulator;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** The simulator's seed accounts of the test profile (application.properties) and request helpers. */
final class SimAccounts {

    static final String ACCOUNT = "AC00000000000000000000000000000001";
    static final String TOKEN = "11111111111111111111111111111111";
    static final String API_KEY = "SK00000000000000000000000000000001";
    static final String API_SECRET = "sim-api-key-secret-not-a-secret";
    static final String NUMBER = "+14155550100";
    static final String SECOND_NUMBER = "+14155550101";
    static final String OTHER_ACCOUNT = "AC00000000000000000000000000000002";
    static final String OTHER_TOKEN = "22222222222222222222222222222222";
    static final String OTHER_NUMBER = "+14155550200";

    static final String API = "/sim/api/2010-04-01/Accounts/" + ACCOUNT;
    static final String TRUNKING = "/sim/trunking/v1";
    static final String LOOKUPS = "/sim/lookups/v2";

    private SimAccounts() {
    }

    static RequestSpecification asAccount() {
        return given().auth().preemptive().basic(ACCOUNT, TOKEN);
    }

    static RequestSpecification as(String user, String password) {
        return given().auth().preemptive().basic(user, password);
    }
}
