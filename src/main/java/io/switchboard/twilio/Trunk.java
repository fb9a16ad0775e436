package io.switchboard.twilio;

/** An Elastic SIP trunk ({@code TK...}). */
public record Trunk(String sid, String friendlyName, String domainName) {
}
