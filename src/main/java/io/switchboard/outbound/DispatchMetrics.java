package io.switchboard.outbound;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the dispatcher of this replica did, by kind (its table: {@code call}, {@code message}), never by account:
 * {@code switchboard_dispatch_claims_total{kind}} (rows claimed to be sent), {@code switchboard_dispatch_ambiguous_total
 * {kind}} (creates answered with a 5xx or a timeout, which Twilio may have made) and
 * {@code switchboard_reconcile_outcomes_total{kind, outcome}}, each check of an ambiguous row by what came of it.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class DispatchMetrics {

    /** What a check of an ambiguous row found. */
    enum Outcome {
        /** A status callback had named the row meanwhile. */
        CALLBACK,
        /** Found in Twilio and adopted. */
        ADOPTED,
        /** Not found, within the grace period: checked again later. */
        NOT_FOUND_YET,
        /** Twilio could not be searched (or the credentials read): checked again later. */
        CHECK_FAILED,
        /** Not found after the grace period: sent once more. */
        SENT_AGAIN,
        /** Not found after the grace period, and withdrawn meanwhile. */
        CANCELED,
        /** Not found after the grace period and not sent again, or its provider gone. */
        FAILED
    }

    private final MeterRegistry registry;
    private final Map<String, Counter> claims = new ConcurrentHashMap<>();
    private final Map<String, Counter> ambiguous = new ConcurrentHashMap<>();
    private final Map<String, Map<Outcome, Counter>> outcomes = new ConcurrentHashMap<>();

    DispatchMetrics(MeterRegistry registry, @All List<DispatchKind> kinds) {
        this.registry = registry;
        kinds.forEach(kind -> register(kind.noun()));
    }

    /** A kind's counters; a kind that is not a bean (a test's own) is registered at its first use. */
    private String register(String name) {
        claims.computeIfAbsent(name, n -> Counter.builder("switchboard.dispatch.claims").tag("kind", n)
                .description("Sends claimed by this replica's dispatcher").register(registry));
        ambiguous.computeIfAbsent(name, n -> Counter.builder("switchboard.dispatch.ambiguous").tag("kind", n)
                .description("Creates answered with a 5xx or a timeout: reconciled, never resent at once")
                .register(registry));
        outcomes.computeIfAbsent(name, n -> {
            var byOutcome = new EnumMap<Outcome, Counter>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("switchboard.reconcile.outcomes").tag("kind", n)
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .description("Checks of ambiguous creates, by what came of them").register(registry));
            }
            return byOutcome;
        });
        return name;
    }

    void claimed(DispatchKind kind, int rows) {
        claims.get(register(kind.noun())).increment(rows);
    }

    void ambiguous(DispatchKind kind) {
        ambiguous.get(register(kind.noun())).increment();
    }

    void reconciled(DispatchKind kind, Outcome outcome) {
        outcomes.get(register(kind.noun())).get(outcome).increment();
    }
}
