package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.switchboard.support.Api;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code /v1/event-subscriptions}: the secret shown once and sealed, validation naming fields, organization scope. */
@QuarkusTest
class SubscriptionResourceTest {

    @Inject
    Pool pool;

    @Test
    void aSubscriptionIsCreatedWithItsSecretShownOnceThenReadChangedAndDeleted() {
        var org = Api.newOrganization();
        var created = Api.as(org)
                .body(Map.of("url", "http://127.0.0.1:9/hooks", "events",
                        List.of("call.completed", "message.delivered"),
                        "description", "billing"))
                .post("/v1/event-subscriptions")
                .then().statusCode(201)
                .body("status", equalTo("active"))
                .body("events", equalTo(List.of("call.completed", "message.delivered")))
                .body("secret", matchesPattern("whsec_[A-Za-z0-9+/]+=*"))
                .extract().jsonPath();
        String id = created.getString("id");
        String secret = created.getString("secret");
        assertThat(Base64.getDecoder().decode(secret.substring("whsec_".length()))).hasSize(32);

        // Stored sealed, never in the clear; never shown again.
        String stored = pool.preparedQuery("select secret_enc from event_subscription where id = $1")
                .execute(Tuple.of(UUID.fromString(id))).await().indefinitely().iterator().next().getString(0);
        assertThat(stored).startsWith("v1.").doesNotContain(secret.substring(6));
        Api.as(org).get("/v1/event-subscriptions/" + id).then().statusCode(200)
                .body("secret", nullValue()).body("description", equalTo("billing"));
        Api.as(org).get("/v1/event-subscriptions").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.secret", not(hasItem(notNullValue())));

        Api.as(org).body(Map.of("events", List.of("*"), "paused", true)).patch("/v1/event-subscriptions/" + id)
                .then().statusCode(200).body("events", equalTo(List.of("*"))).body("status", equalTo("paused"))
                .body("pausedReason", equalTo("api")).body("description", equalTo("billing"));
        Api.as(org).body("{\"paused\": false, \"description\": null}").patch("/v1/event-subscriptions/" + id)
                .then().statusCode(200).body("status", equalTo("active")).body("description", nullValue());

        var rotated = Api.as(org).post("/v1/event-subscriptions/" + id + "/rotate-secret")
                .then().statusCode(200).body("previousSecretExpiresAt", notNullValue())
                .extract().jsonPath();
        assertThat(rotated.getString("secret")).startsWith("whsec_").isNotEqualTo(secret);

        Api.as(org).delete("/v1/event-subscriptions/" + id).then().statusCode(204);
        Api.as(org).get("/v1/event-subscriptions/" + id).then().statusCode(404);
        Api.as(org).delete("/v1/event-subscriptions/" + id).then().statusCode(404);
    }

    @Test
    void badInputIsA400NamingEachField() {
        var org = Api.newOrganization();
        Api.as(org).body(Map.of("url", "ftp://example.com/x", "events", List.of("call.exploded"),
                "description", "x".repeat(501)))
                .post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", hasItems("url", "events", "description"));
        Api.as(org).body(Map.of("events", List.of("*"))).post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", equalTo(List.of("url")));
        Api.as(org).body(Map.of("url", "http://127.0.0.1:9/", "events", List.of()))
                .post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", equalTo(List.of("events")));
        Api.as(org).body(Map.of("url", "http://127.0.0.1:9/", "events", List.of("*", "ping")))
                .post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", equalTo(List.of("events")));
        Api.as(org).body(Map.of("url", "http://user:pw@127.0.0.1:9/", "events", List.of("*")))
                .post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", equalTo(List.of("url")));
        Api.as(org).body(Map.of("url", "http://no-such-host.invalid/", "events", List.of("*")))
                .post("/v1/event-subscriptions")
                .then().statusCode(400).body("details.field", equalTo(List.of("url")));
        Api.as(org).body(Map.of("url", "http://127.0.0.1:9/", "events", List.of("*"), "secret", "mine"))
                .post("/v1/event-subscriptions")
                .then().statusCode(400);

        String id = create(org);
        Api.as(org).body(Map.of("paused", "yes", "events", "call.completed"))
                .patch("/v1/event-subscriptions/" + id)
                .then().statusCode(400).body("details.field", hasItems("paused", "events"));
        Api.as(org).body(Map.of("url", "https://")).patch("/v1/event-subscriptions/" + id)
                .then().statusCode(400).body("details.field", equalTo(List.of("url")));
        Api.as(org).get("/v1/event-subscriptions?cursor=nope").then().statusCode(400)
                .body("details.field", equalTo(List.of("cursor")));
        Api.as(org).get("/v1/event-subscriptions/" + id + "/deliveries?cursor=nope").then().statusCode(400)
                .body("details.field", equalTo(List.of("cursor")));
        Api.as(org).get("/v1/events?type=nope").then().statusCode(400)
                .body("details.field", equalTo(List.of("type")));
        Api.as(org).get("/v1/events?after=nope").then().statusCode(400)
                .body("details.field", equalTo(List.of("after")));
        Api.as(org).get("/v1/events?cursor=nope").then().statusCode(400)
                .body("details.field", equalTo(List.of("cursor")));
    }

    @Test
    void anotherOrganizationsSubscriptionsAndEventsAreNotFound() {
        var owner = Api.newOrganization();
        var stranger = Api.newOrganization();
        String id = create(owner);
        String eventId = Api.as(owner).post("/v1/event-subscriptions/" + id + "/test")
                .then().statusCode(202).extract().path("eventId");

        Api.as(stranger).get("/v1/event-subscriptions").then().statusCode(200).body("items", hasSize(0));
        Api.as(stranger).get("/v1/event-subscriptions/" + id).then().statusCode(404);
        Api.as(stranger).body(Map.of("paused", true)).patch("/v1/event-subscriptions/" + id).then().statusCode(404);
        Api.as(stranger).post("/v1/event-subscriptions/" + id + "/rotate-secret").then().statusCode(404);
        Api.as(stranger).post("/v1/event-subscriptions/" + id + "/test").then().statusCode(404);
        Api.as(stranger).get("/v1/event-subscriptions/" + id + "/deliveries").then().statusCode(404);
        Api.as(stranger).delete("/v1/event-subscriptions/" + id).then().statusCode(404);
        Api.as(stranger).post("/v1/events/" + eventId + "/redeliver").then().statusCode(404);
        Api.as(stranger).get("/v1/events").then().statusCode(200).body("items", hasSize(0));
        Api.as(stranger).get("/v1/events?after=" + eventId).then().statusCode(400)
                .body("details.field", equalTo(List.of("after")));

        Api.as(owner).get("/v1/events?type=ping").then().statusCode(200).body("items.id", equalTo(List.of(eventId)))
                .body("items[0].resourceId", equalTo(id)).body("items[0].sequence", equalTo(1))
                .body("items[0].data.subscriptionId", equalTo(id));
        Api.as(owner).get("/v1/event-subscriptions/" + id).then().statusCode(200);
    }

    static String create(Api.Org org) {
        return Api.as(org).body(Map.of("url", "http://127.0.0.1:9/hooks", "events", List.of("*")))
                .post("/v1/event-subscriptions")
                .then().statusCode(201).extract().path("id");
    }
}
