package io.switchboard.call;

import io.switchboard.common.Validation;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;

/**
 * A batch's retries by outcome: a target whose call ended with one of {@code on} ({@code busy}, {@code no-answer},
 * {@code failed}, or {@code machine}: answered by an answering machine) is called again {@code after} later (an
 * ISO-8601 duration such as {@code PT30M}, whole seconds, at most a week), until {@code maxAttempts} attempts in all
 * (2 to 10, the first call included), one cap across all the outcomes.
 */
public record CallRetry(List<String> on, Integer maxAttempts, String after) {

    static final List<String> OUTCOMES = List.of("busy", "no-answer", "failed", "machine");
    static final int MAX_ATTEMPTS = 10;
    static final Duration LONGEST_WAIT = Duration.ofDays(7);
    private static final String FIELD = "retry";

    void validate(Validation v) {
        if (on == null || on.isEmpty()) {
            v.error(FIELD + ".on", "must name at least one of " + String.join(", ", OUTCOMES));
        } else {
            var seen = new HashSet<String>();
            for (int i = 0; i < on.size(); i++) {
                String outcome = on.get(i);
                if (outcome == null || !OUTCOMES.contains(outcome)) {
                    v.error(FIELD + ".on[" + i + "]", "must be one of " + String.join(", ", OUTCOMES));
                } else if (!seen.add(outcome)) {
                    v.error(FIELD + ".on[" + i + "]", "is given twice");
                }
            }
        }
        v.require(maxAttempts != null && maxAttempts >= 2 && maxAttempts <= MAX_ATTEMPTS, FIELD + ".maxAttempts",
                "must be 2 to " + MAX_ATTEMPTS + " (all attempts, the first call included)");
        Duration delay = delay();
        v.require(delay != null && !delay.isNegative() && delay.compareTo(LONGEST_WAIT) <= 0
                && delay.getNano() == 0, FIELD + ".after",
                "must be an ISO-8601 duration of whole seconds from PT0S to P7D, such as PT30M");
    }

    /** The wait before a retry; null when {@code after} is no ISO-8601 duration. */
    Duration delay() {
        if (after == null) {
            return null;
        }
        try {
            return Duration.parse(after);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** As stored: the wait in seconds. */
    int afterSeconds() {
        return (int) delay().toSeconds();
    }

    /** As stored, back to the API's shape. */
    static CallRetry of(String[] on, Integer maxAttempts, Integer afterSeconds) {
        return on == null ? null : new CallRetry(List.of(on), maxAttempts, Duration.ofSeconds(afterSeconds).toString());
    }
}
