package io.switchboard.twilio;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * Exponential backoff that honours Twilio's {@code Retry-After}. SmallRye's {@code @ExponentialBackoff} cannot see
 * the failure, so this replaces it: the first delay is {@code @Retry(delay)} (configurable like any retry delay),
 * each next one doubles, capped at {@value #MAX_DOUBLINGS} doublings of the first. A {@code Retry-After} longer than
 * the computed delay wins, up to the same cap: a request path must not wait minutes, and the caller still gets a
 * retryable failure if Twilio keeps refusing. One instance per guarded invocation, used by one retry loop at a time.
 */
public final class RetryAfterBackoff implements CustomBackoffStrategy {

    static final int MAX_DOUBLINGS = 4;

    private long next;
    private long max;

    @Override
    public synchronized void init(long initialDelayInMillis) {
        next = Math.max(0, initialDelayInMillis);
        max = next << MAX_DOUBLINGS;
    }

    @Override
    public synchronized long nextDelayInMillis(Throwable failure) {
        var exponential = next;
        next = Math.min(next * 2, max);
        var asked = failure instanceof TwilioException e
                ? e.retryAfter().map(d -> d.toMillis()).orElse(0L)
                : 0L;
        return Math.min(Math.max(exponential, asked), max);
    }
}
