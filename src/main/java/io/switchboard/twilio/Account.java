package io.switchboard.twilio;

/** A Twilio account as {@code GET /2010-04-01/Accounts/{sid}.json} shows it. */
public record Account(String sid, String friendlyName, String status, String type) {
}
