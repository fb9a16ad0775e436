package io.switchboard.tenant;

import static io.switchboard.support.Api.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Connected;
import io.switchboard.support.SignedWebhook;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An organization's own keys, and the operator listing and deleting organizations. */
@QuarkusTest
class OrganizationLifecycleTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    @Test
    void anOrganizationCreatesListsAndRevokesItsOwnKeys() {
        var org = Api.newOrganization();
        var created = Api.as(org).post("/v1/api-keys")
                .then().statusCode(201)
                .body("id", notNullValue())
                .body("apiKey", matchesPattern("sb_[A-Za-z0-9_-]{43}"))
                .body("createdAt", notNullValue())
                .extract().jsonPath();
        String second = created.getString("apiKey");
        assertThat(created.getString("prefix")).isEqualTo(second.substring(0, 9));

        // The new key works, and is listed among the organization's keys without the key itself.
        Api.as(second).get("/v1/api-keys").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items.apiKey", equalTo(java.util.Arrays.asList(null, null)))
                .body("items[1].id", equalTo(created.getString("id")));
        // Only its hash is stored.
        String hash = pool.preparedQuery("select key_hash from api_key where id = $1")
                .execute(Tuple.of(UUID.fromString(created.getString("id")))).await().indefinitely()
                .iterator().next().getString("key_hash");
        assertThat(hash).isEqualTo(ApiKeys.hash(second)).doesNotContain(second.substring(3));

        // The rotation ends with the old key revoked through the new one.
        String firstId = Api.as(second).get("/v1/api-keys").then().extract().path("items[0].id");
        Api.as(second).delete("/v1/api-keys/" + firstId).then().statusCode(204);
        Api.as(org).get("/v1/api-keys").then().statusCode(401);
        Api.as(second).get("/v1/api-keys").then().statusCode(200).body("items[0].revokedAt", notNullValue());

        // Another organization's key does not create keys for this one, and the operator's token is not a key.
        var other = Api.newOrganization();
        String otherKey = Api.as(other).post("/v1/api-keys").then().statusCode(201).extract().path("apiKey");
        Api.as(otherKey).get("/v1/api-keys").then().body("items", hasSize(2));
        Api.as(second).get("/v1/api-keys").then().body("items", hasSize(2));
        asAdmin().post("/v1/api-keys").then().statusCode(401);
    }

    @Test
    void theOperatorListsOrganizationsOldestFirstAPageAtATime() {
        var first = Api.newOrganization();
        var second = Api.newOrganization();
        var third = Api.newOrganization();

        var seen = new ArrayList<String>();
        String cursor = null;
        do {
            var page = asAdmin().queryParam("limit", 200).queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/v1/organizations").then().statusCode(200).extract().jsonPath();
            seen.addAll(page.getList("items.id"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen.indexOf(first.id())).isNotNegative().isLessThan(seen.indexOf(second.id()));
        assertThat(seen.indexOf(second.id())).isLessThan(seen.indexOf(third.id()));

        var one = asAdmin().queryParam("limit", 1).get("/v1/organizations").then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", notNullValue()).extract().jsonPath();
        asAdmin().queryParam("limit", 1).queryParam("cursor", one.getString("nextCursor")).get("/v1/organizations")
                .then().statusCode(200).body("items[0].id", equalTo(seen.get(1)));
        asAdmin().get("/v1/organizations/" + second.id()).then().statusCode(200)
                .body("id", equalTo(second.id())).body("name", notNullValue()).body("createdAt", notNullValue())
                .body("apiKey", equalTo(null));

        asAdmin().queryParam("limit", 0).get("/v1/organizations").then().statusCode(400)
                .body("details[0].field", equalTo("limit"));
        asAdmin().queryParam("cursor", "nope").get("/v1/organizations").then().statusCode(400)
                .body("details[0].field", equalTo("cursor"));
        asAdmin().get("/v1/organizations/" + UUID.randomUUID()).then().statusCode(404);
        // An organization's key lists no organizations, nor deletes one.
        Api.as(first).get("/v1/organizations").then().statusCode(401);
        Api.as(first).get("/v1/organizations/" + first.id()).then().statusCode(401);
        Api.as(first).delete("/v1/organizations/" + first.id()).then().statusCode(401);
    }

    @Test
    void deletingAnOrganizationDeletesEverythingItOwnsAndStopsItsKeys() {
        var c = Connected.create(simulator, 1);
        String agentId = c.createAgent(Map.of("name", "Bot",
                "routing", Map.of("type", "stream", "url", "wss://agents.example.com/media")));
        String sid = "CA" + SimAccount.hex(16);
        String numberId = c.importNumber(0, agentId);
        SignedWebhook.post("/twilio/voice/status", SignedWebhook.params("AccountSid", c.account().accountSid(),
                "CallSid", sid, "CallStatus", "completed", "Direction", "inbound", "From", "+15105550123",
                "To", c.number(0), "CallDuration", "3", "SequenceNumber", "0"), c.account().authToken())
                .then().statusCode(204);
        Api.as(c.org()).body(Map.of("number", "+15105550199")).post("/v1/do-not-contact").then().statusCode(201);
        String spare = Api.as(c.org()).post("/v1/api-keys").then().statusCode(201).extract().path("apiKey");
        UUID org = UUID.fromString(c.org().id());

        // Its provider and number hold configuration in the customer's Twilio account: they go first.
        asAdmin().delete("/v1/organizations/" + org).then().statusCode(409)
                .body("error", equalTo("organization_not_empty"))
                .body("details.field", equalTo(List.of("phoneNumbers", "providers")))
                .body("details[0].message", matchesPattern("1 remain; delete them first .*/v1/phone-numbers/.*"));
        Api.as(c.org()).get("/v1/agents/" + agentId).then().statusCode(200);

        Api.as(c.org()).body("{\"agentId\": null}").patch("/v1/phone-numbers/" + numberId).then().statusCode(200);
        Api.as(c.org()).delete("/v1/phone-numbers/" + numberId).then().statusCode(204);
        asAdmin().delete("/v1/organizations/" + org).then().statusCode(409)
                .body("details.field", equalTo(List.of("providers")));
        Api.as(c.org()).delete("/v1/providers/" + c.providerId()).then().statusCode(204);
        assertThat(count("select count(*) from call where organization_id = $1", org)).isEqualTo(1);
        assertThat(count("select count(*) from communication_event where organization_id = $1", org)).isEqualTo(1);

        asAdmin().delete("/v1/organizations/" + org).then().statusCode(204);

        // Both keys stop at once, on this replica without waiting for the key cache.
        Api.as(c.org()).get("/v1/agents").then().statusCode(401);
        Api.as(spare).get("/v1/agents").then().statusCode(401);
        asAdmin().get("/v1/organizations/" + org).then().statusCode(404);
        asAdmin().delete("/v1/organizations/" + org).then().statusCode(404);
        for (String table : List.of("agent", "call", "api_key", "do_not_contact", "communication_event", "provider")) {
            assertThat(count("select count(*) from " + table + " where organization_id = $1", org)).as(table)
                    .isZero();
        }
    }

    private long count(String sql, UUID organizationId) {
        return pool.preparedQuery(sql).execute(Tuple.of(organizationId)).await().indefinitely().iterator().next()
                .getLong(0);
    }
}
