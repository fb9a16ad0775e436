package io.switchboard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.Uni;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PerAccountTest {

    @Test
    void anAccountNeverHasMoreThanItsConcurrencyInFlightWhileAccountsGoSideBySide() {
        var items = new ArrayList<String>();
        for (int i = 0; i < 5; i++) {
            items.add("AC1");
            items.add("AC2");
        }
        Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> mostPerAccount = new ConcurrentHashMap<>();
        var inFlightAll = new AtomicInteger();
        var mostAll = new AtomicInteger();
        var done = new AtomicInteger();

        PerAccount.run(items, account -> account, 2, account -> Uni.createFrom().voidItem()
                .invoke(() -> {
                    int now = inFlight.computeIfAbsent(account, a -> new AtomicInteger()).incrementAndGet();
                    mostPerAccount.computeIfAbsent(account, a -> new AtomicInteger()).accumulateAndGet(now, Math::max);
                    mostAll.accumulateAndGet(inFlightAll.incrementAndGet(), Math::max);
                })
                .onItem().delayIt().by(Duration.ofMillis(30))
                .invoke(() -> {
                    inFlight.get(account).decrementAndGet();
                    inFlightAll.decrementAndGet();
                    done.incrementAndGet();
                }))
                .await().atMost(Duration.ofSeconds(10));

        assertThat(done).hasValue(10);
        assertThat(mostPerAccount.get("AC1")).hasValue(2);
        assertThat(mostPerAccount.get("AC2")).hasValue(2);
        assertThat(mostAll).as("both accounts at once").hasValue(4);
    }

    @Test
    void nothingToDoCompletesAtOnce() {
        PerAccount.run(List.<String>of(), a -> a, 2, a -> Uni.createFrom().failure(new AssertionError("no work")))
                .await().atMost(Duration.ofSeconds(1));
    }
}
