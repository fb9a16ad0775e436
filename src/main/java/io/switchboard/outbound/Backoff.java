package io.switchboard.outbound;

import io.switchboard.twilio.TwilioException;
import java.time.Duration;

/** The wait before a create Twilio did not process is sent again. */
final class Backoff {

    private static final Duration MAX = Duration.ofMinutes(5);

    private Backoff() {
    }

    /** Twilio's Retry-After when it sent one, else {@code base} doubled per attempt, up to 5 minutes. */
    static Duration after(Throwable failure, int attempts, Duration base) {
        if (failure instanceof TwilioException e && e.retryAfter().isPresent()) {
            return e.retryAfter().get();
        }
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 16);
        var wait = base.multipliedBy(factor);
        return wait.compareTo(MAX) > 0 ? MAX : wait;
    }
}
