package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.switchboard.simulator.Faults;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Api;
import io.switchboard.support.Connected;
import io.switchboard.support.SimAccount;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A verification and a credential rotation of the same provider at once: the rotation always wins. A verification
 * that read the row before the rotation committed neither writes the replaced token back nor stores checks of it.
 */
@QuarkusTest
class ProviderConcurrencyTest {

    @Inject
    TwilioSimulator simulator;

    @Inject
    ProviderCredentials credentials;

    @AfterEach
    void noFaults() {
        simulator.setFaults(Faults.NONE);
    }

    @Test
    void aWriteBasedOnAReadBeforeARotationFailsAndTheNewTokenStays() throws Throwable {
        var c = Connected.create(simulator, 0);
        UUID id = UUID.fromString(c.providerId());
        String next = SimAccount.hex(16);
        simulator.rotateAuthToken(c.account().accountSid(), next);

        // As a verification stores its checks: it reads the row, and writes it after the rotation committed.
        Throwable failure = null;
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> Panache.getSession()
                    .chain(s -> s.find(Provider.class, id))
                    .call(read -> rotatedMeanwhile(c, next))
                    .invoke(read -> {
                        read.verificationStatus = ProviderVerifier.FAILED;
                        read.lastVerifiedAt = Instant.now();
                        read.updatedAt = Instant.now();
                    })));
        } catch (Throwable e) {
            failure = e;
        }

        assertThat(token(id)).as("the token after the rotation").isEqualTo(next);
        assertThat(failure).as("the write based on the older read").isNotNull()
                .matches(ProviderService::isConcurrentWrite, "is a concurrent write");
        Api.as(c.org()).get("/v1/providers/" + id).then().statusCode(200)
                .body("verificationStatus", equalTo("verified"));
    }

    @Test
    void aVerificationRunningAcrossARotationDoesNotStoreChecksOfTheReplacedToken() throws Exception {
        var c = Connected.create(simulator, 0);
        UUID id = UUID.fromString(c.providerId());
        String next = SimAccount.hex(16);
        // The owner rotates at Twilio; a verification starts with the token stored until now, and Twilio is slow to
        // refuse it.
        simulator.rotateAuthToken(c.account().accountSid(), next);
        simulator.setFaults(Faults.NONE.withLatency(Duration.ofMillis(1_500)));
        var verification = CompletableFuture.supplyAsync(
                () -> Api.as(c.org()).post("/v1/providers/" + id + "/verify").then().extract().response());
        // The verification has read the row and waits for Twilio; the rotation is confirmed meanwhile.
        Thread.sleep(500);
        simulator.setFaults(Faults.NONE);
        rotate(c, next);

        var answer = verification.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(token(id)).isEqualTo(next);
        Api.as(c.org()).get("/v1/providers/" + id).then().statusCode(200)
                .body("verificationStatus", equalTo("verified"));
    }

    /** The rotation, through the API on another thread; resumes on the caller's Vert.x context once committed. */
    private static Uni<Void> rotatedMeanwhile(Connected c, String token) {
        Context context = Vertx.currentContext();
        return Uni.createFrom().completionStage(CompletableFuture.runAsync(() -> rotate(c, token)))
                .emitOn(task -> context.runOnContext(ignored -> task.run()));
    }

    private static void rotate(Connected c, String token) {
        Api.as(c.org()).body(Map.of("authToken", token)).patch("/v1/providers/" + c.providerId()).then()
                .statusCode(200);
    }

    private String token(UUID id) {
        return credentials.find(id).await().atMost(Duration.ofSeconds(5)).authToken();
    }
}
