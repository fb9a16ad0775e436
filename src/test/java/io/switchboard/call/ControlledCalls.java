package io.switchboard.call;

import io.quarkus.arc.Arc;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.switchboard.support.SimAccount;
import io.switchboard.webhook.WebhookKeys;
import java.time.Duration;
import java.util.HashMap;
import java.util.UUID;

/** What the call-control tests share: a provider whose webhooks verify, and a live inbound call whose row is stored. */
final class ControlledCalls {

    /** A live call: its Switchboard id and its Twilio sid. */
    record Ringing(String id, String sid) {
    }

    private ControlledCalls() {
    }

    /** The organization's provider on the account, transfers on or off; its id once its signing keys are known. */
    static String provider(Api.Org org, SimAccount account, boolean transfersEnabled) {
        var request = new HashMap<String, Object>(account.providerRequest("Acme"));
        request.put("enableTransfers", transfersEnabled);
        String providerId = Api.as(org).body(request).post("/v1/providers").then().statusCode(201).extract()
                .path("id");
        var keys = Arc.container().instance(WebhookKeys.class).get();
        Await.until(Duration.ofSeconds(10), () -> keys.knows(UUID.fromString(providerId)), "the signing keys");
        return providerId;
    }

    /** The caller rings the number; the call once its row is stored. */
    static Ringing ring(TwilioSimulator simulator, Api.Org org, String number, String caller) {
        String sid = simulator.deliverInboundCall(number, caller).await().atMost(Duration.ofSeconds(10)).sid();
        return new Ringing(awaitRow(org, sid), sid);
    }

    /** The id of the organization's call of this sid, once it is stored. */
    static String awaitRow(Api.Org org, String sid) {
        Await.until(Duration.ofSeconds(10), () -> !Api.as(org).get("/v1/calls?sid=" + sid).then().statusCode(200)
                .extract().jsonPath().getList("items").isEmpty(), "the call recorded");
        return Api.as(org).get("/v1/calls?sid=" + sid).then().extract().path("items[0].id");
    }
}
