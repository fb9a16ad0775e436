package io.switchboard.twilio;

import java.time.OffsetDateTime;

/**
 * A call as Twilio reports it; status is one of queued, ringing, in-progress, completed, busy, failed, ...
 *
 * @param dateCreated when Twilio created it (to the second), or null when not reported
 * @param startTime when the call started (was dialed, or reached Twilio), or null before then
 * @param endTime when it ended, or null while it goes on
 */
public record TwilioCall(String sid, String to, String from, String status, String direction, String parentCallSid,
        Integer durationSeconds, OffsetDateTime dateCreated, OffsetDateTime startTime, OffsetDateTime endTime) {
}
