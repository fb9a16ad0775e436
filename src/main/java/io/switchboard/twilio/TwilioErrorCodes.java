package io.switchboard.twilio;

import java.util.Map;

/**
 * What a Twilio error code means, for a call or message that carries the code without Twilio's own words (a status
 * callback sends {@code ErrorCode}, and {@code ErrorMessage} only sometimes). The descriptions follow Twilio's error
 * dictionary (https://www.twilio.com/docs/api/errors/{code}) for the codes this service meets most; any other code is
 * described by its page there.
 */
public final class TwilioErrorCodes {

    /** Longest error message kept on a row: Twilio's are a sentence or two. */
    public static final int MAX_MESSAGE_LENGTH = 500;

    private static final Map<Integer, String> TITLES = Map.ofEntries(
            Map.entry(20003, "Permission Denied: authentication failed"),
            Map.entry(20404, "The requested resource was not found"),
            Map.entry(20429, "Too Many Requests"),
            Map.entry(21211, "Invalid 'To' Phone Number"),
            Map.entry(21214, "'To' phone number cannot be reached"),
            Map.entry(21215, "Geographic Permission configuration is not permitting call"),
            Map.entry(21408,
                    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
            Map.entry(21610, "Attempt to send to unsubscribed recipient"),
            Map.entry(21611, "This 'From' number has exceeded the maximum number of queued messages"),
            Map.entry(21614, "'To' number is not a valid mobile number"),
            Map.entry(30003, "Unreachable destination handset"),
            Map.entry(30005, "Unknown destination handset"),
            Map.entry(30006, "Landline or unreachable carrier"),
            Map.entry(30007, "Message filtered"));

    private TwilioErrorCodes() {
    }

    /**
     * Twilio's message when it sent one (cut to {@link #MAX_MESSAGE_LENGTH}), else a description of the code; null
     * without a code and a message.
     */
    public static String message(Integer code, String twilioMessage) {
        if (twilioMessage != null && !twilioMessage.isBlank()) {
            String text = twilioMessage.strip();
            return text.length() <= MAX_MESSAGE_LENGTH ? text : text.substring(0, MAX_MESSAGE_LENGTH - 1) + "…";
        }
        return describe(code);
    }

    /** A description of the code, with the page of Twilio's error dictionary that explains it; null for no code. */
    public static String describe(Integer code) {
        if (code == null || code == 0) {
            return null;
        }
        String page = "https://www.twilio.com/docs/api/errors/" + code;
        String title = TITLES.get(code);
        return title == null ? "Twilio error " + code + " (" + page + ")" : title + " (" + page + ")";
    }
}
