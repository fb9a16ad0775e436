package io.switchboard.outbound;

import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.shutdown.ShutdownConfig;
import io.switchboard.shutdown.ShutdownWait;
import io.vertx.mutiny.core.Vertx;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * The durable dispatcher of this replica: a Vert.x periodic timer that claims the due sends of every
 * {@link DispatchKind} (calls, messages) from the database and hands them to Twilio through {@link Dispatch}.
 * Everything it does is non-blocking (reactive PostgreSQL client, Vert.x web client), so it runs on the event loop.
 * Claims use {@code for update skip locked} and a lease, so any number of replicas share the work without overlap,
 * and the pace rows make the rate limits hold across all of them. On shutdown it claims nothing more and waits, within
 * {@code switchboard.shutdown.outbound-timeout}, for what it started to store its outcome.
 */
@ApplicationScoped
public class OutboundDispatcher {

    private static final Logger LOG = Logger.getLogger(OutboundDispatcher.class);

    private final Dispatch dispatch;
    private final List<DispatchKind> kinds;
    private final OutboundConfig config;
    private final ShutdownConfig shutdown;
    private final Vertx vertx;
    /** One tick at a time: a slow database must not pile up overlapping claims. */
    private final AtomicBoolean ticking = new AtomicBoolean();
    /** The tick in progress, which a shutdown waits for: the sends it claims start when its claims commit. */
    private final InFlight ticks = new InFlight();
    private volatile long timer = -1;
    /** Set on shutdown: no tick claims anything from then on. */
    private volatile boolean stopping;

    OutboundDispatcher(Dispatch dispatch, @All List<DispatchKind> kinds, OutboundConfig config,
            ShutdownConfig shutdown, Vertx vertx) {
        this.dispatch = dispatch;
        this.kinds = List.copyOf(kinds);
        this.config = config;
        this.shutdown = shutdown;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        check(config);
        if (config.enabled()) {
            timer = vertx.setPeriodic(period(config), id -> tick());
        }
    }

    /**
     * A tick comes at least as often as the fastest configured pace. The pace no longer rests on it (a claim takes
     * every slot starting within {@code claim-ahead}), but an idle account's first send then waits at most one
     * interval.
     */
    static long period(OutboundConfig config) {
        double fastest = Math.max(config.callsPerSecond(), config.segmentsPerSecond());
        long paced = Math.max(10, (long) Math.floor(1000 / fastest));
        return Math.max(1, Math.min(config.pollInterval().toMillis(), paced));
    }

    /**
     * Refuses, at start, a configuration under which the dispatcher cannot keep the pace: a pace of 0 or less has no
     * slots at all (every tick would fail), and slots claimed no further ahead than two ticks would be lost between
     * ticks.
     *
     * @throws IllegalArgumentException naming the key
     */
    static void check(OutboundConfig config) {
        if (!(config.callsPerSecond() > 0)) {
            throw new IllegalArgumentException("switchboard.outbound.calls-per-second must be above 0");
        }
        if (!(config.segmentsPerSecond() > 0)) {
            throw new IllegalArgumentException("switchboard.outbound.segments-per-second must be above 0");
        }
        if (!(config.paceMargin() >= 0.005 && config.paceMargin() <= 0.2)) {
            throw new IllegalArgumentException("switchboard.outbound.pace-margin must be between 0.005 and 0.2");
        }
        if (config.claimLimit() < 1) {
            throw new IllegalArgumentException("switchboard.outbound.claim-limit must be at least 1");
        }
        if (config.lateLimit().isNegative() || config.lateLimit().compareTo(config.claimAhead()) >= 0) {
            throw new IllegalArgumentException(
                    "switchboard.outbound.late-limit must be at least 0 and below switchboard.outbound.claim-ahead");
        }
        if (config.paceMetricAccounts().map(List::size).orElse(0) > 100) {
            throw new IllegalArgumentException(
                    "switchboard.outbound.pace-metric-accounts may list at most 100 accounts");
        }
        if (config.claimAhead().compareTo(config.pollInterval().multipliedBy(2)) < 0) {
            throw new IllegalArgumentException(
                    "switchboard.outbound.claim-ahead must be at least twice switchboard.outbound.poll-interval");
        }
    }

    /** Runs before the inbound-call recorder's observer, which goes on writing meanwhile. */
    void stop(@Observes @Priority(Interceptor.Priority.APPLICATION) ShutdownEvent event) {
        Duration timeout = shutdown.outboundTimeout();
        int left = stopClaiming(timeout);
        if (left > 0) {
            LOG.warnf("shutdown: %d outbound sends or claims still running after %s; each stays claimed and is "
                    + "reconciled once its lease runs out", left, timeout);
        }
    }

    /**
     * Claims nothing more, then waits up to the timeout for the tick in progress and for the sends and
     * reconciliations already started to store their outcome; returns how many are still running. Blocks the calling
     * thread (see {@link ShutdownWait#atMost}).
     */
    int stopClaiming(Duration timeout) {
        stopping = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ShutdownWait.atMost(ticks.none(), timeout);
        // Every send starts inside a tick, so once no tick runs, none can start any more.
        ShutdownWait.atMost(dispatch.underLease().none(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
        return ticks.running() + dispatch.underLease().running();
    }

    private volatile boolean failing;

    /** Claims what is due; the claimed sends run on after the tick, each guarded by its lease. */
    void tick() {
        if (!ticking.compareAndSet(false, true)) {
            return;
        }
        ticks.track(Uni.createFrom().deferred(this::claimDue))
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

    /**
     * Looks at {@code stopping} only once the tick is counted: a shutdown beginning meanwhile either waits for this
     * tick or finds that it claimed nothing.
     */
    private Uni<List<Integer>> claimDue() {
        if (stopping) {
            return Uni.createFrom().item(List.of());
        }
        var due = new ArrayList<Uni<Integer>>();
        for (DispatchKind kind : kinds) {
            due.add(dispatch.sendDue(kind));
            due.add(dispatch.recheckDue(kind));
        }
        return Uni.join().all(due).andCollectFailures();
    }
}
