package io.switchboard.twilio;

/** A conference participant: its call, its conference, and where it stands (queued, ringing, connected, …). */
public record TwilioParticipant(String callSid, String conferenceSid, String status) {
}
