package io.switchboard.outbound;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The durable dispatcher of this replica: a Vert.x periodic timer that claims the due sends of every
 * {@link DispatchKind} (calls, messages) from the database and hands them to Twilio through {@link Dispatch}.
 * Everything it does is non-blocking (reactive PostgreSQL client, Vert.x web client), so it runs on the event loop.
 * Claims use {@code for update skip locked} and a lease, so any number of replicas share the work without overlap,
 * and the pace rows make the rate limits hold across all of them.
 */
@ApplicationScoped
public class OutboundDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboundDispatcher.class);

    private final Dispatch dispatch;
    private final List<DispatchKind> kinds;
    private final OutboundConfig config;
    private final Vertx vertx;
    /** One tick at a time: a slow database must not pile up overlapping claims. */
    private final AtomicBoolean ticking = new AtomicBoolean();
    private volatile long timer = -1;

    OutboundDispatcher(Dispatch dispatch, @All List<DispatchKind> kinds, OutboundConfig config, Vertx vertx) {
        this.dispatch = dispatch;
        this.kinds = List.copyOf(kinds);
        this.config = config;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(period(config), id -> tick());
        }
    }

    /**
     * A tick claims at most one send per account (calls) or sender (messages), so it must come at least as often as
     * the fastest configured pace, or a raised rate would be capped by the tick without anyone noticing.
     */
    static long period(OutboundConfig config) {
        double fastest = Math.max(config.callsPerSecond(), config.segmentsPerSecond());
        long paced = Math.max(10, (long) Math.floor(1000 / fastest));
        return Math.max(1, Math.min(config.pollInterval().toMillis(), paced));
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private volatile boolean failing;

    /** Claims what is due; the claimed sends run on after the tick, each guarded by its lease. */
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        var due = new ArrayList<Uni<Integer>>();
        for (DispatchKind kind : kinds) {
            due.add(dispatch.sendDue(kind));
            due.add(dispatch.recheckDue(kind));
        }
        Uni.join().all(due).andCollectFailures()
                .subscribe().with(counts -> {
                    ticking.set(false);
                    if (failing) {
                        failing = false;
                        LOG.info("outbound dispatch works again");
                    }
                }, failure -> {
                    ticking.set(false);
                    // Once per outage, not every tick while the database is away.
                    if (!failing) {
                        failing = true;
                        LOG.warnf("outbound dispatch fails, retrying every tick: %s", failure.getMessage());
                    } else {
                        LOG.debugf("outbound dispatch still fails: %s", failure.getMessage());
                    }
                });
    }
}
