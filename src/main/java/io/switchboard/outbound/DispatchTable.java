package io.switchboard.outbound;

/**
 * Where one kind's sends are stored and how they are paced: what the dispatch statements need to know of a table.
 * <p>
 * The table has {@code id}, {@code sid}, {@code status}, {@code error_code}, {@code error_message} (V26: what Twilio
 * said of a refusal), {@code provider_id}, {@code created_at},
 * {@code updated_at} and the dispatch columns of V6: {@code dispatch_state}, {@code next_attempt_at},
 * {@code claimed_until}, {@code attempts}, {@code ambiguous_at}, {@code dispatch_error}, and {@code resends} when the
 * kind sends an unfound ambiguous row again, and {@code skip_reason} (for a kind that withholds sends,
 * {@link DispatchKind#withheld}). The SQL fragments are written by the repository of the package that owns
 * the table, and name the row {@code t}.
 *
 * @param name the table
 * @param paceKeyPrefix the prefix of this kind's keys in {@code outbound_pace} ({@code call:}, {@code sms:})
 * @param paceKeyColumn the column whose value, after the prefix, is the pace key: its sends share one schedule of
 *     slots
 * @param paceCost how many pace intervals one send takes, an expression over the row
 * @param claimedColumns more columns a claim returns for building the request, a select list over the row, or empty
 * @param withdrawn a condition over the row: its send was withdrawn (its batch canceled), so a row that would go back
 *     to waiting ends {@code canceled} instead; {@code false} when sends cannot be withdrawn
 * @param timesAttempts whether the row has {@code attempted_at}, set to the time of every claim
 * @param timesEnd whether the row has {@code ended_at}, set when it ends failed or canceled
 * @param paceRate an expression over the row: the pace intervals per second its pace key allows, or null for the
 *     kind's {@link DispatchKind#perSecond() default}; {@code null} when the pace is always the default
 * @param held a condition over a waiting row: it is not claimed while it holds (its batch paused), and is claimed as
 *     usual once it no longer does; {@code false} when sends are never held
 */
public record DispatchTable(String name, String paceKeyPrefix, String paceKeyColumn, String paceCost,
        String claimedColumns, String withdrawn, boolean timesAttempts, boolean timesEnd, String paceRate,
        String held) {

    /**
     * One pace interval per send, at the default pace, nothing more to claim, never withdrawn or held, no times kept.
     */
    public static DispatchTable of(String name, String paceKeyPrefix, String paceKeyColumn) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, "1", "", "false", false, false, "null",
                "false");
    }

    public DispatchTable withPaceRate(String rate) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, claimedColumns, withdrawn,
                timesAttempts, timesEnd, rate, held);
    }

    public DispatchTable withPaceCost(String cost) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, cost, claimedColumns, withdrawn, timesAttempts,
                timesEnd, paceRate, held);
    }

    public DispatchTable withClaimedColumns(String columns) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, columns, withdrawn, timesAttempts,
                timesEnd, paceRate, held);
    }

    public DispatchTable withdrawnWhen(String condition) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, claimedColumns, condition,
                timesAttempts, timesEnd, paceRate, held);
    }

    public DispatchTable timingAttempts() {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, claimedColumns, withdrawn, true,
                timesEnd, paceRate, held);
    }

    public DispatchTable timingEnds() {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, claimedColumns, withdrawn,
                timesAttempts, true, paceRate, held);
    }

    public DispatchTable heldWhen(String condition) {
        return new DispatchTable(name, paceKeyPrefix, paceKeyColumn, paceCost, claimedColumns, withdrawn,
                timesAttempts, timesEnd, paceRate, condition);
    }

    /** The key of one pace row, e.g. {@code call:AC…}. */
    public String paceKey(String value) {
        return paceKeyPrefix + value;
    }
}
