package io.switchboard.reconcile;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Function;

/** Work on many items, the items of one account at most {@code concurrency} at a time, the accounts side by side. */
final class PerAccount {

    private PerAccount() {
    }

    /** Completes once every item's work has; a failed item's work must recover by itself, or it fails the whole. */
    static <T> Uni<Void> run(List<T> items, Function<T, String> account, int concurrency, Function<T, Uni<Void>> work) {
        var byAccount = new LinkedHashMap<String, List<T>>();
        items.forEach(item -> byAccount.computeIfAbsent(account.apply(item), a -> new ArrayList<>()).add(item));
        if (byAccount.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        var lanes = new ArrayList<Uni<Void>>();
        for (List<T> lane : byAccount.values()) {
            lanes.add(Multi.createFrom().iterable(lane).onItem().<Void>transformToUni(item -> work.apply(item))
                    .merge(Math.max(1, concurrency))
                    .collect().last().replaceWithVoid());
        }
        return Uni.join().all(lanes).andCollectFailures().replaceWithVoid();
    }
}
