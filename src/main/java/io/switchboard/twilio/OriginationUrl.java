package io.switchboard.twilio;

/** Where a trunk sends the calls it receives from the PSTN. */
public record OriginationUrl(String sid, String trunkSid, String friendlyName, String sipUrl, int priority, int weight,
        boolean enabled) {
}
