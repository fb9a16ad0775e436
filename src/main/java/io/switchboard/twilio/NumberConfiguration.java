package io.switchboard.twilio;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Where an incoming number sends its calls and messages. In an update, a {@code null} field is left as it is at
 * Twilio and {@link #CLEAR} (an empty string) removes the value. A configuration read from Twilio has every URL and
 * SID field set ({@code CLEAR} where Twilio has none), so sending it back restores the number exactly.
 *
 * <p>Kept as JSON in the number's row (the configuration to restore), which Jackson reads and writes by reflection:
 * registered for the native image, since no REST method names the type.
 */
@RegisterForReflection
public record NumberConfiguration(String voiceUrl, String voiceMethod, String voiceFallbackUrl, String smsUrl,
        String smsMethod, String statusCallback, String statusCallbackMethod, String trunkSid,
        String voiceApplicationSid, String smsApplicationSid) {

    /** The value that removes a URL or SID at Twilio. */
    public static final String CLEAR = "";

    /** An update that changes nothing; add to it with the {@code with...} methods. */
    public static NumberConfiguration unchanged() {
        return new NumberConfiguration(null, null, null, null, null, null, null, null, null, null);
    }

    public NumberConfiguration withVoiceUrl(String url, String method) {
        return new NumberConfiguration(url, method, voiceFallbackUrl, smsUrl, smsMethod, statusCallback,
                statusCallbackMethod, trunkSid, voiceApplicationSid, smsApplicationSid);
    }

    public NumberConfiguration withVoiceFallbackUrl(String url) {
        return new NumberConfiguration(voiceUrl, voiceMethod, url, smsUrl, smsMethod, statusCallback,
                statusCallbackMethod, trunkSid, voiceApplicationSid, smsApplicationSid);
    }

    public NumberConfiguration withSmsUrl(String url, String method) {
        return new NumberConfiguration(voiceUrl, voiceMethod, voiceFallbackUrl, url, method, statusCallback,
                statusCallbackMethod, trunkSid, voiceApplicationSid, smsApplicationSid);
    }

    public NumberConfiguration withStatusCallback(String url, String method) {
        return new NumberConfiguration(voiceUrl, voiceMethod, voiceFallbackUrl, smsUrl, smsMethod, url, method,
                trunkSid, voiceApplicationSid, smsApplicationSid);
    }

    public NumberConfiguration withTrunkSid(String sid) {
        return new NumberConfiguration(voiceUrl, voiceMethod, voiceFallbackUrl, smsUrl, smsMethod, statusCallback,
                statusCallbackMethod, sid, voiceApplicationSid, smsApplicationSid);
    }

    public NumberConfiguration withVoiceApplicationSid(String sid) {
        return new NumberConfiguration(voiceUrl, voiceMethod, voiceFallbackUrl, smsUrl, smsMethod, statusCallback,
                statusCallbackMethod, trunkSid, sid, smsApplicationSid);
    }

    public NumberConfiguration withSmsApplicationSid(String sid) {
        return new NumberConfiguration(voiceUrl, voiceMethod, voiceFallbackUrl, smsUrl, smsMethod, statusCallback,
                statusCallbackMethod, trunkSid, voiceApplicationSid, sid);
    }
}
