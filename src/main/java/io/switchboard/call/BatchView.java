package io.switchboard.call;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A batch and its progress: {@code counts} of its calls by status (every attempt), {@code countsByAttempt} the same
 * by attempt ({@code "1"} the first calls, {@code "2"} their first retries, …), {@code skipped} the canceled ones that were
 * withheld as they were claimed, by reason ({@code do_not_contact}, …), {@code unsent} the calls not yet handed to Twilio
 * (nor ended), and the estimate of the time those take at the current pace (null while nothing paces them: paused or
 * canceled; it does not count the time a calling window stays closed).
 *
 * @param status {@code running}, {@code paused}, {@code canceled}, or {@code finished} once every call was handed to
 *     Twilio or ended
 */
public record BatchView(UUID id, UUID agentId,
        @Schema(enumeration = {
            "running", "paused", "canceled", "finished" }) String status,
        int size, Map<String, Long> counts,
        Map<Integer, Map<String, Long>> countsByAttempt, Map<String, Long> skipped, long unsent,
        Pace pace, Long estimatedSecondsLeft, CallingWindow callingWindow, CallRetry retry, Instant createdAt,
        Instant pausedAt, Instant canceledAt) {

    /**
     * @param allowedPerSecond the calls per second allowed to the batch's Twilio account, shared by all its batches
     * @param recentPerSecond the batch's calls sent per second over the last minute (or since its first, if later)
     */
    public record Pace(double allowedPerSecond, double recentPerSecond) {
    }
}
