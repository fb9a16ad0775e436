package io.switchboard.twilio;

/** A call as Twilio reports it; status is one of queued, ringing, in-progress, completed, busy, failed, ... */
public record CallResource(String sid, String to, String from, String status, String direction, String parentCallSid,
        Integer durationSeconds) {
}
