package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

@QuarkusTest
class BackgroundVerificationTest {

    @Inject
    BackgroundVerification background;

    @Inject
    TwilioSimulator simulator;

    @Inject
    Pool pool;

    @Test
    void verifiesOneDueProviderPerTurnAndNothingWhenNoneIsDue() {
        var first = Connected.create(simulator, 0);
        var second = Connected.create(simulator, 0);
        // Every provider of the shared test database was verified just now, except these two, long ago.
        sql("update provider set last_verified_at = now()");
        sql("update provider set last_verified_at = now() - interval '2 days' where id = $1", first.providerId());
        sql("update provider set last_verified_at = now() - interval '1 day' where id = $1", second.providerId());
        simulator.rotateAuthToken(first.account().accountSid(), SimAccount.hex(16));
        simulator.rotateAuthToken(second.account().accountSid(), SimAccount.hex(16));

        // The stalest first, alone: the other is still as it was.
        assertThat(verifyOne()).isTrue();
        status(first).body("verificationStatus", equalTo("failed"));
        status(second).body("verificationStatus", equalTo("verified"));

        assertThat(verifyOne()).isTrue();
        status(second).body("verificationStatus", equalTo("failed"));

        // Nothing is due any more: a turn does nothing.
        Instant before = Instant.parse(status(second).extract().path("lastVerifiedAt"));
        assertThat(verifyOne()).isFalse();
        assertThat(Instant.parse(status(second).extract().path("lastVerifiedAt"))).isEqualTo(before);
    }

    /** As the scheduler runs it: on a Vert.x context of its own. */
    private boolean verifyOne() {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> background.verifyOne());
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    private static io.restassured.response.ValidatableResponse status(Connected c) {
        return Api.as(c.org()).get("/v1/providers/" + c.providerId()).then().statusCode(200);
    }

    private void sql(String statement, Object... args) {
        pool.preparedQuery(statement).execute(args.length == 0 ? Tuple.tuple()
                : Tuple.of(UUID.fromString((String) args[0]))).await().atMost(Duration.ofSeconds(5));
    }
}
