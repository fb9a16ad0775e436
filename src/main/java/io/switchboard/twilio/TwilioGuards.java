package io.switchboard.twilio;

import io.smallrye.faulttolerance.api.Guard;
import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioException.Kind;
import jakarta.enterprise.util.TypeLiteral;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * The circuit breakers and the concurrency bound of every request to Twilio, each kept per region and account: an
 * outage of one region, or one account's timeouts, opens only that account's breaker in that region, and an account
 * whose requests hang holds at most {@code max-requests-per-account} of its region's connections, never the whole
 * pool. Requests over the bound are not sent and fail as never processed, which the client retries after backing off.
 * The breakers count only signs that Twilio is down (no answer, 5xx), never a 4xx or a 429. Each is named
 * {@code twilio-<region>-<account sid>} for {@link io.smallrye.faulttolerance.api.CircuitBreakerMaintenance}.
 */
final class TwilioGuards {

    private static final TypeLiteral<Uni<Object>> UNI = new TypeLiteral<>() {
    };

    private final TwilioConfig.Client config;
    private final TwilioMetrics metrics;
    private final Map<String, Guard> breakers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    private TwilioGuards(TwilioConfig.Client config, TwilioMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    static TwilioGuards of(TwilioConfig.Client config, TwilioMetrics metrics) {
        return new TwilioGuards(config, metrics);
    }

    /** No breaker and no bound: the wire alone. */
    static TwilioGuards none() {
        return new TwilioGuards(null, null);
    }

    /** The exchange, through the breaker and within the share of the account in the region it is sent to. */
    <T> Uni<T> call(TwilioCredentials target, String what, Supplier<Uni<T>> exchange) {
        if (config == null) {
            return exchange.get();
        }
        var key = target.region().id() + "/" + target.accountSid();
        return Uni.createFrom().deferred(() -> {
            var count = inFlight.computeIfAbsent(key, k -> new AtomicInteger());
            if (count.incrementAndGet() > config.maxRequestsPerAccount()) {
                count.decrementAndGet();
                return Uni.createFrom().failure(new TwilioException(Kind.RETRYABLE, 0, null, what
                        + ": not sent, this account already has " + config.maxRequestsPerAccount()
                        + " requests in flight to " + target.region().id(), null));
            }
            var released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    count.decrementAndGet();
                }
            };
            try {
                return guarded(breaker(key), exchange).onTermination().invoke(release);
            } catch (RuntimeException e) {
                release.run();
                throw e;
            }
        });
    }

    /** How many requests of the account are in flight to the region now. */
    int inFlight(TwilioRegion region, String accountSid) {
        var count = inFlight.get(region.id() + "/" + accountSid);
        return count == null ? 0 : count.get();
    }

    private Guard breaker(String key) {
        return breakers.computeIfAbsent(key, k -> {
            var breaker = config.breaker();
            return Guard.create()
                    .withDescription("twilio " + k)
                    .withCircuitBreaker()
                    // Named, so that CircuitBreakerMaintenance reports and resets it: twilio-<region>-<account>.
                    .name("twilio-" + k.replace('/', '-'))
                    .requestVolumeThreshold(breaker.requestVolumeThreshold())
                    .failureRatio(breaker.failureRatio())
                    .delay(breaker.delay().toMillis(), ChronoUnit.MILLIS)
                    .successThreshold(breaker.successThreshold())
                    .failOn(List.of(TwilioUnavailableException.class, TimeoutException.class))
                    .onStateChange(state -> metrics.breakerState(k, state))
                    .done()
                    .withThreadOffload(false)
                    .build();
        });
    }

    @SuppressWarnings("unchecked")
    private static <T> Uni<T> guarded(Guard guard, Supplier<Uni<T>> exchange) {
        Supplier<Uni<Object>> untyped = () -> (Uni<Object>) exchange.get();
        return (Uni<T>) guard.get(untyped, UNI);
    }
}
