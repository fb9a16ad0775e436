package io.switchboard.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.switchboard.support.Api;
import io.switchboard.support.Await;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Verified keys come from memory for a short TTL, and failed authentications are limited per client address; with a
 * TTL of 1 s and 5 failures a 3 s window, so the test sees both ends.
 */
@QuarkusTest
@TestProfile(AuthLimitsTest.Limits.class)
class AuthLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("switchboard.auth.key-cache-ttl", "1s", "switchboard.auth.failures.limit", "5",
                    "switchboard.auth.failures.window", "3s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void failuresPastTheLimitAre429UntilTheWindowEnds() {
        var org = Api.newOrganization();
        for (int i = 0; i < 5; i++) {
            Api.as("sb_wrong-" + i).get("/v1/api-keys").then().statusCode(401);
        }
        Response refused = Api.as("sb_wrong-5").get("/v1/api-keys");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 3);
        assertThat(refused.jsonPath().getString("error")).isEqualTo("too_many_failed_authentications");
        // The address is refused as a whole: a right key from it waits too, and then works.
        Api.as(org).get("/v1/api-keys").then().statusCode(429);
        Await.until(Duration.ofSeconds(5), () -> Api.as(org).get("/v1/api-keys").statusCode() == 200,
                "the window to end");
        Api.as("sb_wrong-6").get("/v1/api-keys").then().statusCode(401);
    }

    @Test
    void aKeyRevokedElsewhereStopsWithinTheTtlAndOneRevokedHereAtOnce() {
        var org = Api.newOrganization();
        Api.as(org).get("/v1/api-keys").then().statusCode(200);
        // Another replica revokes it: this one's memory still has it, for at most the TTL.
        pool.preparedQuery("update api_key set revoked_at = now() where key_hash = $1")
                .execute(Tuple.of(ApiKeys.hash(org.apiKey()))).await().atMost(Duration.ofSeconds(5));
        long revokedAt = System.nanoTime();
        Api.as(org).get("/v1/api-keys").then().statusCode(200);
        Await.until(Duration.ofSeconds(3), () -> Api.as(org).get("/v1/api-keys").statusCode() == 401,
                "the revoked key to be refused");
        assertThat(Duration.ofNanos(System.nanoTime() - revokedAt)).isGreaterThan(Duration.ofMillis(500));

        var other = Api.newOrganization();
        Api.as(other).get("/v1/api-keys").then().statusCode(200);
        String keyId = Api.as(other).get("/v1/api-keys").jsonPath().getString("items[0].id");
        Api.as(other).delete("/v1/api-keys/" + UUID.fromString(keyId)).then().statusCode(204);
        Api.as(other).get("/v1/api-keys").then().statusCode(401);
    }
}
