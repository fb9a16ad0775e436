package io.switchboard.twilio;

import java.time.OffsetDateTime;

/**
 * A call as Twilio reports it; status is one of queued, ringing, in-progress, completed, busy, failed, ...
 *
 * @param dateCreated when Twilio created it (to the second), or null when not reported
 */
public record TwilioCall(String sid, String to, String from, String status, String direction, String parentCallSid,
        Integer durationSeconds, OffsetDateTime dateCreated) {
}
