package io.switchboard.message;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Twilio's message statuses in lifecycle order; a status only moves to a higher rank, so a late {@code sent} never
 * replaces {@code delivered}. {@code read} (after delivered) is the only move out of a final status.
 */
final class MessageStatuses {

    private static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("accepted", 0), Map.entry("scheduled", 0), Map.entry("queued", 1), Map.entry("sending", 2),
            Map.entry("sent", 3), Map.entry("receiving", 3), Map.entry("partially_delivered", 4),
            Map.entry("delivered", 5), Map.entry("undelivered", 5), Map.entry("failed", 5), Map.entry("canceled", 5),
            Map.entry("received", 5), Map.entry("read", 6));

    static final String SQL_RANK = """
            case message.status when 'accepted' then 0 when 'scheduled' then 0 when 'queued' then 1
                                when 'sending' then 2 when 'sent' then 3 when 'receiving' then 3
                                when 'partially_delivered' then 4 when 'read' then 6 else 5 end""";

    /** The rank from which a message's status is final (only {@code read} follows). */
    static final int FINAL = 5;

    /** The row's status is not final, as a condition over {@code t}: Twilio may know how the message went on. */
    static final String SQL_UNFINISHED = RANK.entrySet().stream().filter(e -> e.getValue() < FINAL)
            .map(e -> "'" + e.getKey() + "'").sorted().collect(Collectors.joining(", ", "t.status in (", ")"));

    private MessageStatuses() {
    }

    static Integer rank(String status) {
        return status == null ? null : RANK.get(status);
    }
}
