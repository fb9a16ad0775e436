package io.switchboard.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Every webhook refused at the gate, by reason: counted in {@code switchboard_webhook_rejected_total{reason}} (each known
 * reason registered at start, so it reads 0 before the first refusal), and logged at most once per reason per second
 * with how many more were refused meanwhile: an unsigned flood of 20,000 requests wrote 20,000 WARN lines.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class WebhookRefusals {

    private static final Logger LOG = Logger.getLogger(WebhookRefusals.class);
    private static final long LOG_INTERVAL = Duration.ofSeconds(1).toNanos();
    /** The reasons of the gate; another is counted as well, registered when first seen. */
    static final List<String> REASONS = List.of("missing_signature", "malformed_body", "unknown_owner",
            "bad_signature", "method_not_allowed", "unsupported_type", "bad_length", "body_too_large",
            "body_timeout", "bodies_over_budget");

    private final MeterRegistry metrics;
    private final Map<String, Reason> reasons = new ConcurrentHashMap<>();

    public WebhookRefusals(MeterRegistry metrics) {
        this.metrics = metrics;
        REASONS.forEach(this::reason);
    }

    /** Counts the refusal and logs it, unless this reason was logged less than a second ago. */
    void record(RoutingContext ctx, String reason) {
        Reason r = reason(reason);
        r.counter.increment();
        long now = System.nanoTime();
        long next = r.nextLog.get();
        if (now - next >= 0 && r.nextLog.compareAndSet(next, now + LOG_INTERVAL)) {
            long suppressed = r.suppressed.getAndSet(0);
            if (suppressed == 0) {
                LOG.warnf("refused webhook %s %s: %s", ctx.request().method(), ctx.request().path(), reason);
            } else {
                LOG.warnf("refused webhook %s %s: %s (and %d more for this reason since the last line)",
                        ctx.request().method(), ctx.request().path(), reason, suppressed);
            }
        } else {
            r.suppressed.incrementAndGet();
        }
    }

    private Reason reason(String reason) {
        return reasons.computeIfAbsent(reason, name -> new Reason(
                Counter.builder("switchboard.webhook.rejected").tag("reason", name)
                        .description("Webhooks refused at the gate").register(metrics),
                new AtomicLong(System.nanoTime()), new AtomicLong()));
    }

    private record Reason(Counter counter, AtomicLong nextLog, AtomicLong suppressed) {
    }
}
