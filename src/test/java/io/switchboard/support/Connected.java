package io.switchboard.support;

import io.quarkus.arc.Arc;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.webhook.WebhookKeys;
import java.time.Duration;
import java.util.Map;

/**
 * An organization with a connected simulator account, a provider and imported numbers, built through the API as a
 * customer would.
 */
public record Connected(Api.Org org, SimAccount account, String providerId) {

    public static Connected create(TwilioSimulator simulator, int numbers) {
        var org = Api.newOrganization();
        var account = SimAccount.create(simulator, numbers);
        String providerId = Api.as(org).body(account.providerRequest("Acme")).post("/v1/providers")
                .then().statusCode(201).extract().path("id");
        // The service learns the account's signing keys from the change feed, a moment after the 201: a webhook
        // signed before then would be refused.
        var keys = Arc.container().instance(WebhookKeys.class).get();
        Await.until(Duration.ofSeconds(10), () -> keys.knows(java.util.UUID.fromString(providerId)),
                "the service to know the new account's signing keys");
        return new Connected(org, account, providerId);
    }

    public String number(int index) {
        return account.numbers().get(index);
    }

    /** Imports one of the account's numbers, assigned to the agent (or to none); returns the number's id. */
    public String importNumber(int index, String agentId) {
        var body = new java.util.HashMap<String, Object>(Map.of("number", number(index), "providerId", providerId));
        if (agentId != null) {
            body.put("agentId", agentId);
        }
        return Api.as(org).body(body).post("/v1/phone-numbers").then().statusCode(201).extract().path("id");
    }

    public String createAgent(Map<String, Object> agent) {
        return Api.as(org).body(agent).post("/v1/agents").then().statusCode(201).extract().path("id");
    }
}
