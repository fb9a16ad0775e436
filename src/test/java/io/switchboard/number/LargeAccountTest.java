package io.switchboard.number;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An account of 20,000 numbers, each page of them answered as slowly as Twilio across an ocean: reading them all
 * takes longer than one request may, so they are read a page of 1000 at a time, each page its own request, and the
 * imports, verification and the list of available numbers still complete.
 */
@QuarkusTest
class LargeAccountTest {

    private static final int NUMBERS = 20_000;
    private static final String LIST = "/2010-04-01/Accounts/{AccountSid}/IncomingPhoneNumbers.json";

    @Inject
    TwilioSimulator simulator;

    @AfterEach
    void noFaults() {
        simulator.clearScopedFaults();
    }

    @Test
    void anAccountOfTwentyThousandNumbersVerifiesAndImports() {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, 0);
        // A block of numbers of its own in the 628 area, apart from the random 415 numbers of other tests.
        int base = 2_000_000 + ThreadLocalRandom.current().nextInt(390) * NUMBERS;
        for (int i = 0; i < NUMBERS; i++) {
            simulator.addNumber(account.accountSid(), number(base, i));
        }
        String providerId = Api.as(org).body(account.providerRequest("Big")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
        // 350 ms per answer: the 100 pages of 200 read before took 35 s, past the 30 s a request may take.
        simulator.delayAccount(account.accountSid(), Duration.ofMillis(350));
        long before = listRequests(account);

        var wanted = List.of(number(base, 0), number(base, NUMBERS / 2), number(base, NUMBERS - 1));
        Api.as(org).body(Map.of("numbers", List.of(wanted.get(0), wanted.get(1), wanted.get(2), "+16290000000")))
                .post("/v1/providers/" + providerId + "/import-numbers")
                .then().statusCode(200)
                .body("imported", hasSize(3))
                .body("failed", hasSize(1))
                .body("failed[0].error", equalTo("number_not_in_account"));
        assertThat(listRequests(account) - before).isEqualTo(NUMBERS / 1000);

        Api.as(org).post("/v1/providers/" + providerId + "/verify").then().statusCode(200)
                .body("verificationStatus", equalTo("verified"))
                .body("verification.checks.find { it.name == 'numbers' }.message",
                        equalTo("3 imported number(s) present and pointing here"));

        Api.as(org).get("/v1/providers/" + providerId + "/available-numbers").then().statusCode(200)
                .body("items", hasSize(NUMBERS))
                .body("items.findAll { it.imported }.number", equalTo(wanted));
    }

    private static String number(int base, int i) {
        return "+1628" + (base + i);
    }

    private long listRequests(SimAccount account) {
        return simulator.requests().stream()
                .filter(r -> r.route().equals(LIST) && r.path().contains(account.accountSid()) && r.status() == 200)
                .count();
    }
}
