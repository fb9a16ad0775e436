package io.switchboard.call;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Twilio's CallStatus values in lifecycle order. A status only moves forward: a later rank replaces an earlier one, a
 * terminal one is never replaced.
 */
final class CallStatuses {

    static final int TERMINAL = 4;
    private static final Map<String, Integer> RANK = Map.of(
            "queued", 0, "initiated", 1, "ringing", 2, "in-progress", 3,
            "completed", TERMINAL, "busy", TERMINAL, "no-answer", TERMINAL, "failed", TERMINAL, "canceled", TERMINAL);

    /** The same order in SQL, over the stored row's status. */
    static final String SQL_RANK = """
            case call.status when 'queued' then 0 when 'initiated' then 1 when 'ringing' then 2
                             when 'in-progress' then 3 else 4 end""";

    /** The row's status is not final, as a condition over {@code t}: Twilio may know how the call went on. */
    static final String SQL_UNFINISHED = RANK.entrySet().stream().filter(e -> e.getValue() < TERMINAL)
            .map(e -> "'" + e.getKey() + "'").sorted().collect(Collectors.joining(", ", "t.status in (", ")"));

    private CallStatuses() {
    }

    /** Whether the call table accepts this status; anything else Twilio sends is kept in the event only. */
    static boolean isKnown(String status) {
        return status != null && RANK.containsKey(status);
    }

    static boolean isKnownOrNull(String status) {
        return status == null || isKnown(status);
    }

    static Integer rank(String status) {
        return status == null ? null : RANK.get(status);
    }

    static boolean isTerminal(String status) {
        return Integer.valueOf(TERMINAL).equals(rank(status));
    }
}
