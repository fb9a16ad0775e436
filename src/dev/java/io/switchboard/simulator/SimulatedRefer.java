package io.switchboard.simulator;

/**
 * What became of a SIP REFER an agent sent: {@code accepted} when the referUrl answered TwiML that the caller's leg
 * runs; {@code status} the referUrl's HTTP status (0 for none); {@code alert} Twilio's error code when it did not ask
 * (13802, a dial without a referUrl), else null.
 */
public record SimulatedRefer(boolean accepted, int status, Integer alert) {
}
