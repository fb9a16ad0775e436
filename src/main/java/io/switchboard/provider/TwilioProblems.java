package io.switchboard.provider;

import io.switchboard.twilio.TwilioException;

/** Predicates over failures of Twilio calls, for {@code onFailure(...)} filters. */
final class TwilioProblems {

    private TwilioProblems() {
    }

    static boolean isAuthFailure(Throwable failure) {
        return failure instanceof TwilioException e && e.isAuthenticationFailure();
    }

    static boolean isNotFound(Throwable failure) {
        return failure instanceof TwilioException e && e.isNotFound();
    }
}
