package io.switchboard.twilio;

/** A phone number the customer owns at Twilio, with how it is configured right now. */
public record IncomingNumber(String sid, String phoneNumber, String friendlyName, Capabilities capabilities,
        NumberConfiguration configuration) {

    public record Capabilities(boolean voice, boolean sms) {
    }
}
