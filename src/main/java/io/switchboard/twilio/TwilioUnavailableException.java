package io.switchboard.twilio;

import java.time.Duration;

/**
 * A failure that says Twilio (or the way to it) is unwell: no answer, a timeout, a 5xx. Only these count against the
 * client's circuit breaker; a 4xx or a 429 concerns one request or one account and must not cut off every tenant.
 * Callers never need this type: {@link TwilioException#isUnavailable()} covers it.
 */
final class TwilioUnavailableException extends TwilioException {

    TwilioUnavailableException(Kind kind, int httpStatus, Integer code, String message, Throwable cause,
            Duration retryAfter) {
        super(kind, httpStatus, code, message, cause, retryAfter);
    }
}
