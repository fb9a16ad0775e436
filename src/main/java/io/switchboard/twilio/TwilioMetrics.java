package io.switchboard.twilio;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.switchboard.twilio.TwilioEndpoints.Product;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * What the service's requests to Twilio did, as metrics: {@code switchboard_twilio_requests_seconds{product, region,
 * method, outcome}} (outcome: {@code 2xx}, {@code 4xx_<code family>} such as {@code 4xx_20} for Twilio's 20xxx
 * codes, {@code 429}, {@code 5xx}, {@code timeout}, {@code connection}, {@code not_sent}), a latency histogram per
 * product and region ({@code switchboard_twilio_request_duration_seconds}), and the circuit breakers open per region
 * ({@code switchboard_twilio_breakers_open{region}}). Every combination is registered at start, so a rate reads 0
 * before the first failure; a code family seen for the first time is added then. No account sid is ever a label: a
 * breaker is per account, its gauge per region.
 */
final class TwilioMetrics {

    static final List<String> METHODS = List.of("GET", "POST", "DELETE");
    /** Outcomes registered at start; other 4xx families join when they first happen. */
    static final List<String> OUTCOMES = List.of("2xx", "4xx_20", "4xx_21", "4xx_other", "429", "5xx", "timeout",
            "connection", "not_sent");
    private static final Duration[] BUCKETS = { Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
        Duration.ofSeconds(5), Duration.ofSeconds(10) };

    private final MeterRegistry registry;
    private final Map<String, Timer> requests = new ConcurrentHashMap<>();
    private final Map<Product, Map<TwilioRegion, Timer>> durations = new EnumMap<>(Product.class);
    private final Map<String, CircuitBreakerState> breakers = new ConcurrentHashMap<>();

    TwilioMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (Product product : Product.values()) {
            var byRegion = new EnumMap<TwilioRegion, Timer>(TwilioRegion.class);
            for (TwilioRegion region : TwilioRegion.values()) {
                byRegion.put(region, Timer.builder("switchboard.twilio.request.duration")
                        .tag("product", name(product)).tag("region", region.id())
                        .serviceLevelObjectives(BUCKETS)
                        .description("Requests to Twilio, by product and region").register(registry));
                for (String method : METHODS) {
                    for (String outcome : OUTCOMES) {
                        timer(product, region, method, outcome);
                    }
                }
            }
            durations.put(product, byRegion);
        }
        for (TwilioRegion region : TwilioRegion.values()) {
            Gauge.builder("switchboard.twilio.breakers.open", breakers, b -> open(b, region))
                    .tag("region", region.id())
                    .description("Circuit breakers open (one per account and region): Twilio's answers stopped")
                    .register(registry);
        }
    }

    /** Metrics kept in a registry of their own, for the wire-only clients of tests. */
    static TwilioMetrics none() {
        return new TwilioMetrics(new SimpleMeterRegistry());
    }

    void record(Product product, TwilioRegion region, String method, String outcome, long nanos) {
        timer(product, region, method, outcome).record(nanos, TimeUnit.NANOSECONDS);
        if (!"not_sent".equals(outcome)) {
            durations.get(product).get(region).record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** A breaker's new state; {@code key} is {@code <region>/<account sid>}, kept here only, never as a label. */
    void breakerState(String key, CircuitBreakerState state) {
        breakers.put(key, state);
    }

    /** The outcome label of an answer's status, or of the failure that left no answer. */
    static String outcome(int status, Integer code) {
        if (status >= 200 && status < 300) {
            return "2xx";
        }
        if (status == 429 || Integer.valueOf(20429).equals(code)) {
            return "429";
        }
        if (status >= 400 && status < 500) {
            // Twilio's codes are five digits, grouped by their first two (20xxx the API, 21xxx numbers and calls,
            // 30xxx messaging, ...): a bounded label.
            return code != null && code >= 10000 && code <= 99999 ? "4xx_" + code / 1000 : "4xx_other";
        }
        return "5xx";
    }

    /**
     * The outcome of a request that ended in a failure: by Twilio's answer when there was one, else by what stopped
     * it (the timeout, the connection), or {@code not_sent} when the guards refused it (the account's in-flight
     * bound, an open breaker) before it left.
     */
    static String outcome(Throwable failure) {
        if (failure instanceof TwilioException e && e.httpStatus() > 0) {
            return outcome(e.httpStatus(), e.code());
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return "not_sent";
        }
        Throwable cause = failure.getCause();
        if (cause instanceof TimeoutException || cause instanceof io.smallrye.mutiny.TimeoutException) {
            return "timeout";
        }
        // The in-flight bound's refusal is the only failure with neither an answer nor a cause.
        return failure instanceof TwilioException && cause == null ? "not_sent" : "connection";
    }

    private Timer timer(Product product, TwilioRegion region, String method, String outcome) {
        return requests.computeIfAbsent(name(product) + " " + region.id() + " " + method + " " + outcome,
                key -> Timer.builder("switchboard.twilio.requests").tag("product", name(product))
                        .tag("region", region.id()).tag("method", method).tag("outcome", outcome)
                        .description("Requests to Twilio, by what came of them").register(registry));
    }

    private static double open(Map<String, CircuitBreakerState> breakers, TwilioRegion region) {
        String prefix = region.id() + "/";
        return breakers.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix) && e.getValue() == CircuitBreakerState.OPEN).count();
    }

    private static String name(Product product) {
        return product.name().toLowerCase(Locale.ROOT);
    }
}
