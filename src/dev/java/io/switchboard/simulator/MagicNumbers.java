package io.switchboard.simulator;

import java.util.Map;

/**
 * Twilio's magic test numbers (https://www.twilio.com/docs/iam/test-credentials): each stands for one refusal. The
 * sender is checked first, as Twilio does.
 */
final class MagicNumbers {

    /** The one sender every account may use without owning it. */
    static final String VALID_FROM = "+15005550006";

    private static final String INVALID = "+15005550001";

    private static final Map<String, SimError> CALL_FROM = Map.of(
            INVALID, new SimError(400, 21212, "The 'From' phone number provided is not a valid phone number"),
            "+15005550007", new SimError(400, 21210,
                    "The source phone number provided is not yet verified for your account"));
    private static final Map<String, SimError> CALL_TO = Map.of(
            INVALID, new SimError(400, 21211, "Invalid 'To' Phone Number"),
            "+15005550003", new SimError(400, 21215,
                    "Account not authorized to call this number: geographic permissions"),
            "+15005550004", new SimError(400, 21216, "Call blocked by Twilio blocklist"),
            "+15005550009", new SimError(400, 21214, "'To' phone number cannot be reached"));
    private static final Map<String, SimError> SMS_FROM = Map.of(
            INVALID, new SimError(400, 21212, "The 'From' number is not a valid phone number"),
            "+15005550007", new SimError(400, 21606,
                    "The 'From' phone number provided is not a valid message-capable Twilio phone number"),
            "+15005550008", new SimError(400, 21611,
                    "This 'From' number has exceeded the maximum number of queued messages"));
    private static final Map<String, SimError> SMS_TO = Map.of(
            INVALID, new SimError(400, 21211, "Invalid 'To' Phone Number"),
            "+15005550002", new SimError(400, 21612, "The 'To' phone number is not currently reachable via SMS"),
            "+15005550003", new SimError(400, 21408,
                    "Permission to send an SMS has not been enabled for the region indicated by the 'To' number"),
            "+15005550004", new SimError(400, 21610, "Attempt to send to unsubscribed recipient"),
            "+15005550009", new SimError(400, 21614, "'To' number is not a valid mobile number"));

    private MagicNumbers() {
    }

    /** Throws the refusal a magic {@code From} or {@code To} of a call stands for. */
    static void checkCall(String from, String to) {
        check(CALL_FROM, from);
        check(CALL_TO, to);
    }

    /** Throws the refusal a magic {@code From} (null with a messaging service) or {@code To} of an SMS stands for. */
    static void checkMessage(String from, String to) {
        if (from != null) {
            check(SMS_FROM, from);
        }
        check(SMS_TO, to);
    }

    /**
     * Whether Twilio refuses to call this number (geographic permissions, the blocklist, unreachable): a REST create
     * fails with the refusal, a {@code <Dial>} to it fails without ringing.
     */
    static boolean refusesCallTo(String to) {
        return CALL_TO.containsKey(to);
    }

    /** A call's {@code To} that is no phone number: refused as the invalid magic number is. */
    static SimError invalidCallTo() {
        return CALL_TO.get(INVALID);
    }

    /** An SMS's {@code To} that is no phone number: refused as the invalid magic number is. */
    static SimError invalidMessageTo() {
        return SMS_TO.get(INVALID);
    }

    /** An SMS from a number the account does not own: refused as the not-message-capable magic number is. */
    static SimError notMessageCapable() {
        return SMS_FROM.get("+15005550007");
    }

    private static void check(Map<String, SimError> magic, String number) {
        var error = magic.get(number);
        if (error != null) {
            throw error;
        }
    }
}
