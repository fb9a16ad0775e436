package io.switchboard.twilio;

/** A SIP credential list ({@code CL...}), on its own or as attached to a trunk. */
public record CredentialList(String sid, String friendlyName) {
}
