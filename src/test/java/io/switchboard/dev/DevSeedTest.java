package io.switchboard.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Dev mode's seeding, run against the test database: on its own simulated account and number, since other tests use
 * the dev ones (account 1, +14155550100). What dev mode does at start is {@code seed(configured())}.
 */
@QuarkusTest
class DevSeedTest {

    @Inject
    DevSeed seed;

    @Inject
    TwilioSimulator simulator;

    @Test
    void seedsAnOrganizationWithItsFixedKeyAProviderAnAgentAndAnAssignedNumberOnceOnly() throws Throwable {
        var account = SimAccount.create(simulator, 1);
        var spec = new DevSeed.Spec(UUID.randomUUID(), "sb_dev_test_" + SimAccount.hex(12), account.accountSid(),
                account.authToken(), account.numbers().get(0));

        var first = VertxContextSupport.subscribeAndAwait(() -> seed.seed(spec));
        assertThat(first.created()).isTrue();

        // The fixed key works at once, and the number is assigned to the agent.
        Api.as(spec.apiKey()).get("/v1/phone-numbers").then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].number", equalTo(spec.number()))
                .body("items[0].id", equalTo(first.numberId()))
                .body("items[0].providerId", equalTo(first.providerId()))
                .body("items[0].agentId", equalTo(first.agentId()));
        Api.as(spec.apiKey()).get("/v1/providers/" + first.providerId()).then().statusCode(200)
                .body("accountSid", equalTo(account.accountSid()));
        Api.as(spec.apiKey()).get("/v1/agents/" + first.agentId()).then().statusCode(200)
                .body("name", equalTo(DevSeed.AGENT_NAME))
                .body("routing.type", equalTo("stream"));

        // A restart with the data kept: everything is found, nothing is duplicated, nothing fails.
        var second = VertxContextSupport.subscribeAndAwait(() -> seed.seed(spec));
        assertThat(second.created()).isFalse();
        assertThat(second).isEqualTo(first.withCreated(false));
        Api.as(spec.apiKey()).get("/v1/providers").then().statusCode(200).body("items", hasSize(1));
        Api.as(spec.apiKey()).get("/v1/agents").then().statusCode(200).body("items", hasSize(1));
        Api.as(spec.apiKey()).get("/v1/api-keys").then().statusCode(200).body("items", hasSize(1));
    }

    @Test
    void aSeededNumberNoLongerAssignedIsAssignedAgain() throws Throwable {
        var account = SimAccount.create(simulator, 1);
        var spec = new DevSeed.Spec(UUID.randomUUID(), "sb_dev_test_" + SimAccount.hex(12), account.accountSid(),
                account.authToken(), account.numbers().get(0));
        var first = VertxContextSupport.subscribeAndAwait(() -> seed.seed(spec));
        Api.as(spec.apiKey()).body("{\"agentId\": null}").patch("/v1/phone-numbers/" + first.numberId())
                .then().statusCode(200);

        var again = VertxContextSupport.subscribeAndAwait(() -> seed.seed(spec));
        assertThat(again.created()).isTrue();
        Api.as(spec.apiKey()).get("/v1/phone-numbers/" + first.numberId()).then().statusCode(200)
                .body("agentId", equalTo(first.agentId()));
    }
}
