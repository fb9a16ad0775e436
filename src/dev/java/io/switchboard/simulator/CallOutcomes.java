package io.switchboard.simulator;

/**
 * Designated test numbers whose calls do not end as a person answering and hanging up: {@code +1 500 555 Nxxx}, where
 * the digit {@code N} picks the outcome and the last three digits are free, so a test can call many distinct numbers
 * with one outcome. They sit in the range of Twilio's magic numbers ({@code +1 500 555 0xxx}, {@link MagicNumbers}),
 * which they do not overlap, and no test's random number ({@code +1 415 …}) falls among them.
 *
 * <ul>
 * <li>{@code +15005551xxx} busy: initiated, ringing, then the completed event with {@code CallStatus=busy};
 * <li>{@code +15005552xxx} no answer: initiated, ringing, then the completed event with {@code CallStatus=no-answer};
 * <li>{@code +15005553xxx} failed: initiated, then the completed event with {@code CallStatus=failed} (never rings);
 * <li>{@code +15005554xxx} an answering machine: answered like a person (initiated, ringing, answered), but
 * answering machine detection, when asked for, finds a machine.
 * </ul>
 *
 * Twilio's outbound call states and the events that report them: queued, initiated, ringing, in-progress, then the
 * {@code completed} event with the final CallStatus (completed, busy, no-answer, failed, canceled); a call that is
 * never answered sends no {@code answered} event
 * (https://support.twilio.com/hc/en-us/articles/223132267-Tracking-the-Status-of-an-Outbound-Twilio-Voice-Call,
 * https://www.twilio.com/docs/voice/api/call-resource#call-status-values).
 */
enum CallOutcomes {
    ANSWERED(null), BUSY("busy"), NO_ANSWER("no-answer"), FAILED("failed"), MACHINE(null);

    private static final String PREFIX = "+1500555";

    /** The final CallStatus of a call never answered; null for one that is. */
    final String unansweredStatus;

    CallOutcomes(String unansweredStatus) {
        this.unansweredStatus = unansweredStatus;
    }

    static CallOutcomes of(String to) {
        if (to == null || to.length() != 12 || !to.startsWith(PREFIX)) {
            return ANSWERED;
        }
        return switch (to.charAt(PREFIX.length())) {
            case '1' -> BUSY;
            case '2' -> NO_ANSWER;
            case '3' -> FAILED;
            case '4' -> MACHINE;
            default -> ANSWERED;
        };
    }

    boolean rings() {
        return this != FAILED;
    }

    boolean answered() {
        return unansweredStatus == null;
    }
}
