package io.switchboard.outbound;

import io.switchboard.crypto.SecretDecryptionException;
import io.switchboard.twilio.TwilioErrorCodes;
import io.switchboard.twilio.TwilioException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/** What a failed create means for the row: the one classification {@link Dispatch} acts on. */
enum Failure {
    /** Twilio never processed it (429, no connection, breaker open): send it again later. */
    RETRY,
    /** It may exist in Twilio: reconcile, never send again blindly. */
    AMBIGUOUS,
    /** Twilio refused it; the same request would be refused again. */
    PERMANENT,
    /**
     * Never sent: the provider's secrets are sealed under a key this replica does not read (yet, during a key
     * rotation). It waits; another replica, or this one once it has the key, sends it.
     */
    UNREADABLE;

    static Failure of(Throwable failure) {
        if (failure instanceof SecretDecryptionException) {
            return UNREADABLE;
        }
        if (failure instanceof TwilioException e) {
            return e.isRetryable() ? RETRY : e.isAmbiguous() ? AMBIGUOUS : PERMANENT;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return RETRY;
        }
        // A timeout of the fault-tolerance layer, or anything unforeseen: the request may have gone out.
        return AMBIGUOUS;
    }

    static Integer code(Throwable failure) {
        return failure instanceof TwilioException e ? e.code() : null;
    }

    /** What Twilio said of its refusal, else what its code means; null when it gave neither. */
    static String message(Throwable failure) {
        if (!(failure instanceof TwilioException e)) {
            return null;
        }
        return TwilioErrorCodes.message(e.code(), e.twilioMessage().orElse(null));
    }
}
