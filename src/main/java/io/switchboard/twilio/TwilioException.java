package io.switchboard.twilio;

import java.time.Duration;
import java.util.Optional;

/**
 * A Twilio REST call that did not succeed, classified once so callers ask {@link #isRetryable()} or
 * {@link #isAmbiguous()} instead of matching strings. Its message is Twilio's own text plus the code; it never
 * contains a credential.
 * <p>
 * Sealed so that the one subtype, {@link TwilioUnavailableException}, can mark "Twilio itself is unwell" for the
 * client's circuit breaker, which can only select failures by class.
 */
public sealed class TwilioException extends RuntimeException
        permits TwilioUnavailableException, Us1CredentialsRequired {

    /** What a caller may do about the failure. */
    public enum Kind {
        /** Not processed by Twilio (429 / 20429, connection refused): safe to try again after backing off. */
        RETRYABLE,
        /** A create that may or may not have happened (timeout, 5xx): never repeat it blindly. */
        AMBIGUOUS,
        /** Twilio refused the request; the same request will fail again. */
        PERMANENT
    }

    private final Kind kind;
    private final int httpStatus;
    private final Integer code;
    private final Duration retryAfter;
    private final String twilioMessage;

    public TwilioException(Kind kind, int httpStatus, Integer code, String message, Throwable cause) {
        this(kind, httpStatus, code, message, cause, null);
    }

    /** With the wait Twilio asked for in a {@code Retry-After} header, if it sent one. */
    public TwilioException(Kind kind, int httpStatus, Integer code, String message, Throwable cause,
            Duration retryAfter) {
        this(kind, httpStatus, code, message, cause, retryAfter, null);
    }

    private TwilioException(Kind kind, int httpStatus, Integer code, String message, Throwable cause,
            Duration retryAfter, String twilioMessage) {
        super(message, cause, false, true);
        this.kind = kind;
        this.httpStatus = httpStatus;
        this.code = code;
        this.retryAfter = retryAfter;
        this.twilioMessage = twilioMessage;
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status of Twilio's answer; 0 when there was none (connection failure, timeout). */
    public int httpStatus() {
        return httpStatus;
    }

    /** Twilio's error code (20003, 21211, ...), or null. */
    public Integer code() {
        return code;
    }

    /**
     * Twilio's own message of a refused request ({@code message} of its error body), with phone numbers masked; empty
     * when Twilio gave none (no answer, not its JSON).
     */
    public Optional<String> twilioMessage() {
        return Optional.ofNullable(twilioMessage);
    }

    /** A request Twilio refused (a 4xx), with its own message when it gave one. */
    static TwilioException refused(int httpStatus, Integer code, String message, String twilioMessage) {
        return new TwilioException(Kind.PERMANENT, httpStatus, code, message, null, null, twilioMessage);
    }

    /** How long Twilio asked us to wait before trying again ({@code Retry-After}), when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isRetryable() {
        return kind == Kind.RETRYABLE;
    }

    public boolean isAmbiguous() {
        return kind == Kind.AMBIGUOUS;
    }

    /** Twilio could not be reached or answered with a server error: a 502/503 for our callers, not a 422. */
    public boolean isUnavailable() {
        return httpStatus == 0 || httpStatus >= 500 || kind == Kind.RETRYABLE;
    }

    public boolean isAuthenticationFailure() {
        return httpStatus == 401 || Integer.valueOf(20003).equals(code);
    }

    public boolean isNotFound() {
        return httpStatus == 404 || Integer.valueOf(20404).equals(code);
    }
}
