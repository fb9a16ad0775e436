package io.switchboard.shutdown;

import io.vertx.core.Context;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The bounded waits of a graceful shutdown. */
public final class ShutdownWait {

    private ShutdownWait() {
    }

    /**
     * Waits until {@code done} completes or the timeout passes; true when it completed (a failure completes it too).
     * <p>
     * Blocking is right here, and only here: {@code ShutdownEvent} observers run on the thread that stops the
     * application (on SIGTERM, the JVM's shutdown hook), and Quarkus closes the HTTP server, the database pool and
     * Vert.x only after they return. Waiting there keeps those open while the work being waited for runs on the
     * event loops. On an event loop the work could never finish while it waited, so there it does not wait at all.
     */
    public static boolean atMost(Future<?> done, Duration timeout) {
        if (Context.isOnEventLoopThread()) {
            return done.isDone();
        }
        try {
            done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return done.isDone();
        }
    }
}
