package io.switchboard.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.db.Database;
import io.switchboard.routing.Route;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.shutdown.ShutdownWait;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * Records each answered inbound call (its call row, which keeps the webhook as its {@code voice-inbound} event) without
 * a database round trip before the answer: a bounded in-memory write-behind queue, drained in batches, retried with
 * backoff while the database is down. Beyond the bound the newest item is dropped and counted
 * ({@code switchboard.calls.inbound.dropped}); the call's status callbacks still create the row, since they carry the
 * same facts. On shutdown the queue is written out before the service exits, within
 * {@code switchboard.shutdown.inbound-timeout}.
 * <p>
 * Back-pressure: calls answered faster than PostgreSQL can record them would fill the queue and then be dropped. So
 * while the queue is over half full and the database is writing it, a call's answer waits for the queue to come back
 * under half ({@code switchboard.calls.inbound-answer-hold} at most): the answers slow to the rate at which calls are
 * recorded, and none is lost. While the database is failing nothing is held: callers are connected at once and the
 * queue bridges the outage as far as it can.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class InboundCallRecorder {

    private static final Logger LOG = Logger.getLogger(InboundCallRecorder.class);
    private static final int BATCH = 1_000;
    private static final int WRITERS = 2;
    private static final long MIN_BACKOFF_MS = 50;
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long RECORD_BYTES = 1_024;
    private static final int MIN_CAPACITY = 1_000;
    private static final int MAX_CAPACITY = 50_000;

    private final CallEventRepository events;
    private final Vertx vertx;
    private final ShutdownConfig shutdown;
    private final int capacity;
    private final Counter dropped;
    private final Counter failed;
    private final Counter heldCount;
    private final long holdNanos;
    private final ArrayDeque<InboundRecord> queue = new ArrayDeque<>();
    /** Answers waiting for the queue to come back under half full, oldest first. */
    private final ArrayDeque<HeldAnswer> heldAnswers = new ArrayDeque<>();
    /** Whether a timer will release the held answers whose wait is over. */
    private boolean holdTimer;
    /** Batches being written; two keep PostgreSQL busy while the next batch is prepared and sent. */
    private int writing;
    /** The calls in those batches. */
    private int inBatches;
    private long backoffMs = MIN_BACKOFF_MS;
    /** Set once the shutdown's drain is over: later calls are dropped, as nothing would write them. */
    private volatile boolean stopped;
    /** Calls whose batch the database has answered (written, or refused one by one): the shutdown reports them. */
    private long settled;
    /** Completed once nothing is queued or being written, for a shutdown that waits for it; else null. */
    private CompletableFuture<Void> whenIdle;
    /** While set, nothing is written: lets a test fill the queue. */
    private boolean held;

    public InboundCallRecorder(CallEventRepository events, Vertx vertx, MeterRegistry metrics,
            CallsConfig config, ShutdownConfig shutdown) {
        this.events = events;
        this.vertx = vertx;
        this.shutdown = shutdown;
        this.capacity =
                config.inboundQueueCapacity().orElseGet(() -> defaultCapacity(Runtime.getRuntime().maxMemory()));
        LOG.debugf("inbound-call write-behind queue: at most %d calls", this.capacity);
        this.dropped = metrics.counter("switchboard.calls.inbound.dropped");
        this.failed = metrics.counter("switchboard.calls.inbound.refused");
        this.heldCount = metrics.counter("switchboard.calls.inbound.answers.held");
        this.holdNanos = config.inboundAnswerHold().toNanos();
        metrics.gauge("switchboard.calls.inbound.queued", queue, q -> size());
    }

    /** An answer held back, on the context (event loop) of its request, and since when. */
    private record HeldAnswer(Runnable answer, Context context, long since) {

        void give() {
            if (context == null) {
                answer.run();
            } else {
                context.runOnContext(v -> answer.run());
            }
        }
    }

    /**
     * A quarter of the heap, at about 1 KiB a queued call, between 1,000 and 50,000: a queue sized past the heap would,
     * under a burst PostgreSQL cannot absorb, turn into back-to-back full collections that stall every answer.
     */
    static int defaultCapacity(long maxHeapBytes) {
        return (int) Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, maxHeapBytes / 4 / RECORD_BYTES));
    }

    /**
     * Called on the event loop with the answer to the inbound-call webhook: enqueues the call and gives the answer, at
     * once or once the queue is back under half full (see the class comment). Never blocks.
     *
     * @param route null when the number is not imported here
     */
    void record(Route route, VerifiedWebhook webhook, Runnable answer) {
        String sid = webhook.param("CallSid");
        InboundRecord record = sid == null ? null : InboundRecord.of(webhook, route);
        if (record == null || record.sid().isBlank()) {
            answer.run();
            return;
        }
        enqueue(record, record.sid(), answer);
    }

    /**
     * Enqueues one call; {@code answer} (null for none) runs now, or later on the current Vert.x context when it is
     * held back.
     */
    void enqueue(InboundRecord write, String sid, Runnable answer) {
        boolean hold = false;
        synchronized (this) {
            if (stopped) {
                dropped.increment();
                LOG.errorf("inbound call %s not recorded: answered after the shutdown's drain", sid);
            } else if (queue.size() >= capacity) {
                dropped.increment();
                LOG.errorf("inbound call %s not recorded: the write-behind queue is full (%d)", LogText.safe(sid),
                        capacity);
            } else {
                queue.add(write);
                hold = answer != null && holdNanos > 0 && queue.size() > capacity / 2 && keepingUp();
                if (hold) {
                    heldAnswers.add(new HeldAnswer(answer, Vertx.currentContext(), System.nanoTime()));
                    heldCount.increment();
                }
            }
        }
        if (hold) {
            armHoldTimer();
        } else if (answer != null) {
            answer.run();
        }
        drain();
    }

    /** No write has failed since the last one that succeeded: the database is taking the queue. */
    private boolean keepingUp() {
        return backoffMs == MIN_BACKOFF_MS && !stopped;
    }

    /** Gives the held answers that may go: all of them once the queue is under half or is not being written. */
    private void releaseHeld() {
        List<HeldAnswer> due;
        synchronized (this) {
            if (heldAnswers.isEmpty()) {
                return;
            }
            due = new ArrayList<>();
            boolean all = queue.size() <= capacity / 2 || !keepingUp();
            long now = System.nanoTime();
            while (!heldAnswers.isEmpty() && (all || now - heldAnswers.peek().since() >= holdNanos)) {
                due.add(heldAnswers.poll());
            }
        }
        due.forEach(HeldAnswer::give);
    }

    /** A check every few milliseconds while answers are held, so that none waits past its bound. */
    private void armHoldTimer() {
        synchronized (this) {
            if (holdTimer) {
                return;
            }
            holdTimer = true;
        }
        vertx.setTimer(Math.max(1, holdNanos / 10 / 1_000_000), id -> {
            synchronized (this) {
                holdTimer = false;
            }
            releaseHeld();
            boolean more;
            synchronized (this) {
                more = !heldAnswers.isEmpty();
            }
            if (more) {
                armHoldTimer();
            }
        });
    }

    /** Answers held back now, waiting for the queue to drain. */
    synchronized int heldAnswers() {
        return heldAnswers.size();
    }

    public synchronized int size() {
        return queue.size();
    }

    private void drain() {
        List<InboundRecord> batch;
        synchronized (this) {
            if (writing >= WRITERS || queue.isEmpty() || stopped || held) {
                return;
            }
            writing++;
            batch = new ArrayList<>(Math.min(BATCH, queue.size()));
            for (int i = 0; i < BATCH && !queue.isEmpty(); i++) {
                batch.add(queue.poll());
            }
            inBatches += batch.size();
        }
        events.storeInbound(batch)
                .onFailure(InboundCallRecorder::isRefused).recoverWithUni(failure -> oneByOne(batch))
                .subscribe().with(ok -> {
                    synchronized (this) {
                        writing--;
                        inBatches -= batch.size();
                        settled += batch.size();
                        backoffMs = MIN_BACKOFF_MS;
                    }
                    releaseHeld();
                    drain();
                    signalIfIdle();
                }, failure -> retryLater(batch, failure));
    }

    /** PostgreSQL refused the batch: write each alone, and drop only what it refuses, so one item cannot block all. */
    private Uni<Void> oneByOne(List<InboundRecord> batch) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (InboundRecord write : batch) {
            chain = chain.chain(() -> events.storeInbound(List.of(write)).onFailure(InboundCallRecorder::isRefused)
                    .recoverWithItem(failure -> {
                        failed.increment();
                        LOG.errorf("inbound call %s refused by the database, not recorded: %s",
                                LogText.safe(write.sid()), LogText.safe(failure.getMessage()));
                        return null;
                    }));
        }
        return chain;
    }

    /** The database is unreachable: put the batch back at the head and try again later. */
    private void retryLater(List<InboundRecord> batch, Throwable failure) {
        long delay;
        synchronized (this) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                queue.addFirst(batch.get(i));
            }
            writing--;
            inBatches -= batch.size();
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
        releaseHeld();
        LOG.warnf("recording %d inbound calls failed (%s); retrying in %d ms", batch.size(),
                LogText.safe(failure.getMessage()), delay);
        if (!stopped) {
            vertx.setTimer(delay, id -> drain());
        }
    }

    /**
     * PostgreSQL answered about the statement and what it carries (a data error, a constraint, a limit such as an
     * index row too large): the same rows will be refused however often they are sent, so they are written alone and
     * the refused ones dropped. Only a database that could not be reached or could not finish is retried.
     */
    static boolean isRefused(Throwable failure) {
        return !Database.isTransient(failure);
    }

    /**
     * Writes out the queue before the service exits. It runs after the dispatcher's observer
     * ({@code OutboundDispatcher.stop}), so the queue goes on being written while that one waits.
     */
    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 1000) ShutdownEvent event) {
        Duration timeout = shutdown.inboundTimeout();
        int pending;
        synchronized (this) {
            pending = queue.size() + inBatches;
        }
        LOG.infof("shutdown: writing the %d inbound calls still queued, for at most %s", pending, timeout);
        Drained drained = drainOnShutdown(timeout);
        if (drained.unwritten() == 0) {
            LOG.infof("shutdown: %d inbound calls written from the write-behind queue, %d refused by the database",
                    drained.written(), drained.refused());
        } else {
            LOG.errorf("shutdown: %d inbound calls written from the write-behind queue, %d refused by the database, "
                    + "%d not written within %s", drained.written(), drained.refused(), drained.unwritten(), timeout);
        }
    }

    /** What the shutdown's drain did: calls written, refused by the database, and left queued or still being written. */
    record Drained(long written, long refused, int unwritten) {
    }

    /**
     * Writes what is queued, in batches as always, and what is answered meanwhile (the HTTP server still takes
     * requests), until nothing is left or the timeout passes; from then on it takes no more calls. Blocks the calling
     * thread (see {@link ShutdownWait#atMost}); the writes run on the event loop.
     */
    Drained drainOnShutdown(Duration timeout) {
        var idle = new CompletableFuture<Void>();
        double refusedBefore = failed.count();
        long settledBefore;
        synchronized (this) {
            held = false;
            whenIdle = idle;
            settledBefore = settled;
        }
        drain();
        signalIfIdle();
        ShutdownWait.atMost(idle, timeout);
        Drained drained;
        synchronized (this) {
            stopped = true;
            whenIdle = null;
            long refused = Math.round(failed.count() - refusedBefore);
            drained = new Drained(settled - settledBefore - refused, refused, queue.size() + inBatches);
        }
        releaseHeld();
        return drained;
    }

    private void signalIfIdle() {
        CompletableFuture<Void> idle;
        synchronized (this) {
            if (whenIdle == null || writing > 0 || !queue.isEmpty()) {
                return;
            }
            idle = whenIdle;
            whenIdle = null;
        }
        idle.complete(null);
    }

    /** Stops writing until the shutdown's drain or {@link #resume}, so that a test can fill the queue first. */
    synchronized void hold() {
        held = true;
    }

    /** Writes again after {@link #hold}. */
    void resume() {
        synchronized (this) {
            held = false;
        }
        drain();
    }
}
