package io.switchboard.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import io.switchboard.twilio.WebhookEndpoint;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The time each {@code /twilio} request took, from its headers to its answer, by endpoint and status class:
 * {@code switchboard_webhook_requests_seconds{endpoint, status}}, with buckets around the milliseconds Twilio is
 * answered in. Every series is registered at start, so each reads 0 before its first request and an alert on it works
 * from the first minute. These take the place of the generic HTTP server metrics for {@code /twilio}
 * ({@code quarkus.micrometer.binder.http-server.ignore-patterns}), whose per-request tag building and meter lookup
 * cost more on the inbound-call path than the signature check.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class WebhookMetrics {

    private static final String[] STATUS_CLASSES = { "2xx", "3xx", "4xx", "5xx" };
    private static final Duration[] BUCKETS = { Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5) };

    private final Map<WebhookEndpoint, Timer[]> byEndpoint = new EnumMap<>(WebhookEndpoint.class);
    /** A {@code /twilio} path that is no endpoint. */
    private final Timer[] other;

    public WebhookMetrics(MeterRegistry registry) {
        for (WebhookEndpoint endpoint : WebhookEndpoint.values()) {
            byEndpoint.put(endpoint, timers(registry, endpoint.name().toLowerCase(Locale.ROOT)));
        }
        other = timers(registry, "other");
    }

    private static Timer[] timers(MeterRegistry registry, String endpoint) {
        var timers = new Timer[STATUS_CLASSES.length];
        for (int i = 0; i < timers.length; i++) {
            timers[i] = Timer.builder("switchboard.webhook.requests").tag("endpoint", endpoint)
                    .tag("status", STATUS_CLASSES[i]).serviceLevelObjectives(BUCKETS)
                    .description("Twilio webhooks answered, by endpoint and status class").register(registry);
        }
        return timers;
    }

    /** One request answered with {@code status} after {@code nanos}; {@code endpoint} null for no endpoint. */
    void record(WebhookEndpoint endpoint, int status, long nanos) {
        Timer[] timers = endpoint == null ? other : byEndpoint.get(endpoint);
        int index = Math.min(Math.max(status / 100 - 2, 0), STATUS_CLASSES.length - 1);
        timers[index].record(nanos, TimeUnit.NANOSECONDS);
    }
}
