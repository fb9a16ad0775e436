package io.switchboard.twilio;

/** A call's recording as Twilio reports it; status is one of in-progress, paused, stopped, processing, completed. */
public record TwilioRecording(String sid, String callSid, String status) {
}
