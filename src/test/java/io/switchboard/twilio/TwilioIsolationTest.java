package io.switchboard.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Uni;
import io.switchboard.simulator.SimRegion;
import io.switchboard.simulator.TwilioSimulator;
import io.switchboard.support.Await;
import io.switchboard.support.SimAccount;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One region's outage, or one account's failures and slowness, leave every other region and account served: breakers
 * and connection shares are kept per region and account.
 */
@QuarkusTest
class TwilioIsolationTest {

    @Inject
    TwilioClient twilio;

    @Inject
    TwilioSimulator simulator;

    @Inject
    CircuitBreakerMaintenance breakers;

    @BeforeEach
    void reset() {
        breakers.resetAll();
    }

    @AfterEach
    void noFaults() {
        simulator.clearScopedFaults();
        breakers.resetAll();
    }

    @Test
    void anIe1OutageOpensOnlyIe1sBreaker() {
        var account = SimAccount.create(simulator, 0);
        String ie1Token = SimAccount.hex(16);
        simulator.addRegionalAuthToken(account.accountSid(), SimRegion.IE1, ie1Token);
        var ie1 = TwilioCredentials.withAuthToken(account.accountSid(), ie1Token, TwilioRegion.IE1);
        var us1 = TwilioCredentials.withAuthToken(account.accountSid(), account.authToken(), TwilioRegion.US1);
        var other = SimAccount.create(simulator, 0);
        var otherUs1 = TwilioCredentials.withAuthToken(other.accountSid(), other.authToken(), TwilioRegion.US1);

        simulator.failRegion(SimRegion.IE1, 503, 20503);
        assertThat(untilBreakerOpens(ie1)).isInstanceOf(CircuitBreakerOpenException.class);
        assertThat(breakers.currentState("twilio-ie1-" + account.accountSid())).isEqualTo(CircuitBreakerState.OPEN);

        // US1 is not down: the same account there, and another account, are served at once.
        assertThat(await(twilio.fetchAccount(us1)).sid()).isEqualTo(account.accountSid());
        assertThat(await(twilio.fetchAccount(otherUs1)).sid()).isEqualTo(other.accountSid());
        assertThat(breakers.currentState("twilio-us1-" + account.accountSid())).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void oneAccountsFailuresDoNotOpenAnotherAccountsBreaker() {
        var failing = SimAccount.create(simulator, 0);
        var healthy = SimAccount.create(simulator, 0);
        var failingCreds = TwilioCredentials.withAuthToken(failing.accountSid(), failing.authToken(),
                TwilioRegion.US1);
        var healthyCreds = TwilioCredentials.withAuthToken(healthy.accountSid(), healthy.authToken(),
                TwilioRegion.US1);

        simulator.failAccount(failing.accountSid(), 500, 20500);
        assertThat(untilBreakerOpens(failingCreds)).isInstanceOf(CircuitBreakerOpenException.class);

        assertThat(await(twilio.fetchAccount(healthyCreds)).sid()).isEqualTo(healthy.accountSid());
        assertThat(breakers.currentState("twilio-us1-" + healthy.accountSid())).isEqualTo(CircuitBreakerState.CLOSED);
    }

    @Test
    void aSlowAccountHoldsOnlyItsShareOfTheConnections() {
        var slow = SimAccount.create(simulator, 0);
        var quick = SimAccount.create(simulator, 0);
        var slowCreds = TwilioCredentials.withAuthToken(slow.accountSid(), slow.authToken(), TwilioRegion.US1);
        var quickCreds = TwilioCredentials.withAuthToken(quick.accountSid(), quick.authToken(), TwilioRegion.US1);
        // Each of the slow account's answers takes 1.5 s (under the 2 s request timeout of the tests): 30 of them
        // at once would hold all 20 connections of the pool, and the quick account would wait behind them.
        simulator.delayAccount(slow.accountSid(), Duration.ofMillis(1500));
        var slowCalls = new ArrayList<Uni<Object>>();
        for (int i = 0; i < 30; i++) {
            slowCalls.add(twilio.fetchAccount(slowCreds).map(a -> (Object) a).onFailure().recoverWithItem(e -> e));
        }
        var pending = Uni.join().all(slowCalls).andCollectFailures().subscribeAsCompletionStage();
        try {
            Await.until(Duration.ofSeconds(5), () -> twilio.inFlight(TwilioRegion.US1, slow.accountSid()) == 10,
                    "the slow account's share of requests in flight");
            long started = System.nanoTime();
            assertThat(await(twilio.fetchAccount(quickCreds)).sid()).isEqualTo(quick.accountSid());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1000));
            // Never more than its share in flight.
            assertThat(twilio.inFlight(TwilioRegion.US1, slow.accountSid())).isLessThanOrEqualTo(10);
        } finally {
            pending.toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    /** Reads the account until its breaker opens; the last failure. */
    private Throwable untilBreakerOpens(TwilioCredentials creds) {
        Throwable failure = null;
        for (int i = 0; i < 10 && !(failure instanceof CircuitBreakerOpenException); i++) {
            failure = twilio.fetchAccount(creds).onItem().transform(a -> (Throwable) null)
                    .onFailure().recoverWithItem(e -> e).await().atMost(Duration.ofSeconds(10));
        }
        return failure;
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(Duration.ofSeconds(10));
    }
}
