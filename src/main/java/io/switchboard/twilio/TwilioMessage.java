package io.switchboard.twilio;

/** A message as Twilio reports it; errorCode is set once it failed or was undelivered. */
public record TwilioMessage(String sid, String to, String from, String messagingServiceSid, String status,
        Integer numSegments, Integer errorCode, String errorMessage) {
}
