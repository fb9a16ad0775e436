package io.switchboard.twilio;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.WorkerExecutor;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Walks every number of an account, a page of up to 1000 at a time, for accounts of tens of thousands of numbers:
 * each page is its own request to Twilio with its own timeout (the whole walk is not bounded by one request's
 * timeout), and the caller's step runs on the {@code twilio-number-scan} worker pool, not on the event loop, a page
 * at a time and in order. The result is delivered back on the caller's context.
 */
@ApplicationScoped
public class IncomingNumberScan {

    /** A guard against a next-page link that loops: 1000 pages of 1000 numbers is far beyond any real account. */
    private static final int MAX_PAGES = 1000;

    private final TwilioClient twilio;
    private final WorkerExecutor worker;

    public IncomingNumberScan(TwilioClient twilio, Vertx vertx) {
        this.twilio = twilio;
        // Two threads: pages come one after the other per scan, and scans are rare (verification, imports).
        this.worker = vertx.createSharedWorkerExecutor("twilio-number-scan", 2, 60, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        worker.closeAndForget();
    }

    /** {@code step} applied to each of the account's numbers, in Twilio's order; then {@code result}. */
    public <A> Uni<A> fold(TwilioCredentials creds, A result, BiConsumer<A, IncomingNumber> step) {
        return fold(creds, null, result, step, 1);
    }

    private <A> Uni<A> fold(TwilioCredentials creds, String next, A result, BiConsumer<A, IncomingNumber> step,
            int page) {
        return twilio.incomingNumbersPage(creds, next)
                .chain(numbers -> worker.executeBlocking(() -> {
                    numbers.numbers().forEach(number -> step.accept(result, number));
                    return numbers;
                }, true))
                .chain(done -> done.next() == null || page >= MAX_PAGES
                        ? Uni.createFrom().item(result)
                        : fold(creds, done.next(), result, step, page + 1));
    }
}
