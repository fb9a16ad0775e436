package io.switchboard.call;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.db.Database;
import io.switchboard.routing.Route;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Records each answered inbound call (the call row and a {@code voice-inbound} event) without delaying the answer: a
 * bounded in-memory write-behind queue, drained in batches by one writer, retried with backoff while the database is
 * down. Beyond the bound the newest item is dropped and counted ({@code switchboard.calls.inbound.dropped}); the
 * call's status callbacks still create the row, since they carry the same facts.
 */
@ApplicationScoped
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
    private final int capacity;
    private final Counter dropped;
    private final Counter failed;
    private final ArrayDeque<InboundRecord> queue = new ArrayDeque<>();
    /** Batches being written; two keep PostgreSQL busy while the next batch is prepared and sent. */
    private int writing;
    private long backoffMs = MIN_BACKOFF_MS;
    private volatile boolean stopped;

    public InboundCallRecorder(CallEventRepository events, Vertx vertx, MeterRegistry metrics,
            CallsConfig config) {
        this.events = events;
        this.vertx = vertx;
        this.capacity =
                config.inboundQueueCapacity().orElseGet(() -> defaultCapacity(Runtime.getRuntime().maxMemory()));
        LOG.debugf("inbound-call write-behind queue: at most %d calls", this.capacity);
        this.dropped = metrics.counter("switchboard.calls.inbound.dropped");
        this.failed = metrics.counter("switchboard.calls.inbound.refused");
        metrics.gauge("switchboard.calls.inbound.queued", queue, q -> size());
    }

    /**
     * A quarter of the heap, at about 1 KiB a queued call, between 1,000 and 50,000: a queue sized past the heap would,
     * under a burst PostgreSQL cannot absorb, turn into back-to-back full collections that stall every answer.
     */
    static int defaultCapacity(long maxHeapBytes) {
        return (int) Math.max(MIN_CAPACITY, Math.min(MAX_CAPACITY, maxHeapBytes / 4 / RECORD_BYTES));
    }

    /**
     * Called on the event loop once the inbound-call webhook has answered: only enqueues, never blocks.
     *
     * @param route null when the number is not imported here
     */
    void record(Route route, VerifiedWebhook webhook) {
        String sid = webhook.param("CallSid");
        if (sid == null) {
            return;
        }
        var record = InboundRecord.of(webhook, route);
        if (!record.sid().isBlank()) {
            enqueue(record, record.sid());
        }
    }

    void enqueue(InboundRecord write, String sid) {
        synchronized (this) {
            if (queue.size() >= capacity) {
                dropped.increment();
                LOG.errorf("inbound call %s not recorded: the write-behind queue is full (%d)", LogText.safe(sid),
                        capacity);
                return;
            }
            queue.add(write);
        }
        drain();
    }

    public synchronized int size() {
        return queue.size();
    }

    private void drain() {
        List<InboundRecord> batch;
        synchronized (this) {
            if (writing >= WRITERS || queue.isEmpty() || stopped) {
                return;
            }
            writing++;
            batch = new ArrayList<>(Math.min(BATCH, queue.size()));
            for (int i = 0; i < BATCH && !queue.isEmpty(); i++) {
                batch.add(queue.poll());
            }
        }
        events.storeInbound(batch)
                .onFailure(InboundCallRecorder::isRefused).recoverWithUni(failure -> oneByOne(batch))
                .subscribe().with(ok -> {
                    synchronized (this) {
                        writing--;
                        backoffMs = MIN_BACKOFF_MS;
                    }
                    drain();
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
            delay = backoffMs;
            backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
        }
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

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        int left = size();
        if (left > 0) {
            LOG.warnf("shutting down with %d inbound calls not yet recorded", left);
        }
    }
}
