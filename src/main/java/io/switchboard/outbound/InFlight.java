package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import java.util.concurrent.CompletableFuture;

/** Work started and not yet finished, counted so that a shutdown can wait until none is left. */
final class InFlight {

    private int running;
    private CompletableFuture<Void> none = CompletableFuture.completedFuture(null);

    /** The work, counted from its subscription until it ends: with an item, a failure or a cancellation. */
    <T> Uni<T> track(Uni<T> work) {
        return Uni.createFrom().deferred(() -> {
            started();
            return work;
        }).onTermination().invoke(this::finished);
    }

    synchronized int running() {
        return running;
    }

    /** Completes once nothing runs; a later start makes a new one. */
    synchronized CompletableFuture<Void> none() {
        return none;
    }

    private synchronized void started() {
        if (running++ == 0) {
            none = new CompletableFuture<>();
        }
    }

    private void finished() {
        CompletableFuture<Void> idle;
        synchronized (this) {
            if (--running > 0) {
                return;
            }
            idle = none;
        }
        idle.complete(null);
    }
}
