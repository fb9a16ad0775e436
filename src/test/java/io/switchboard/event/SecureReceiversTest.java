package io.switchboard.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** With insecure receivers refused, as in production: at creation, and again before every attempt. */
@QuarkusTest
@TestProfile(SecureReceiversTest.Secure.class)
class SecureReceiversTest {

    public static class Secure implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.events.allow-insecure-urls", "false");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Vertx vertx;

    @Inject
    SigningSecrets secrets;

    @Test
    void aReceiverOnAnInternalAddressIsRefusedWhenSubscribedAndWhenDelivered() throws Exception {
        var org = Api.newOrganization();
        try (var receiver = new Receiver(vertx)) {
            for (String url : List.of("https://localhost:" + receiver.port() + "/hooks", "https://127.0.0.1/hooks",
                    "https://10.0.0.7/hooks", "https://169.254.169.254/latest/meta-data", "https://[::1]/hooks",
                    "http://hooks.example.com/")) {
                Api.as(org).body(Map.of("url", url, "events", List.of("*"))).post("/v1/event-subscriptions")
                        .then().statusCode(400).body("details.field", equalTo(List.of("url")));
            }

            // A subscription whose host resolved to a public address when it was made, and to loopback now.
            UUID id = UUID.randomUUID();
            pool.preparedQuery("""
                    insert into event_subscription (id, organization_id, url, events, secret_enc, created_at,
                                                    updated_at)
                    values ($1, $2, $3, '{*}', $4, now(), now())""")
                    .execute(Tuple.of(id, UUID.fromString(org.id()), "https://localhost:" + receiver.port() + "/hooks",
                            secrets.seal(id, WebhookSignatures.newSecret())))
                    .await().indefinitely();
            Api.as(org).post("/v1/event-subscriptions/" + id + "/test").then().statusCode(202);

            Await.until(Duration.ofSeconds(30), () -> !EventDeliveryTest.attempts(org, id.toString()).isEmpty(),
                    "the refused attempt to be stored");
            var attempt = EventDeliveryTest.attempts(org, id.toString()).get(0);
            assertThat(attempt.get("status")).isEqualTo("error");
            assertThat((String) attempt.get("error")).startsWith("refused: ")
                    .contains("private, loopback, link-local or reserved");
            assertThat(attempt.get("responseCode")).isNull();
            assertThat(receiver.received()).isEmpty();
        }
    }
}
