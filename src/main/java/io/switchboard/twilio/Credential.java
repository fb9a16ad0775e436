package io.switchboard.twilio;

/** A SIP user name in a credential list; Twilio never returns the password. */
public record Credential(String sid, String credentialListSid, String username) {
}
