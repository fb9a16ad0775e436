package io.switchboard.common;

import java.util.regex.Pattern;

/** E.164, the only phone-number form the API speaks. */
public final class PhoneNumbers {

    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{1,14}");

    private PhoneNumbers() {
    }

    public static boolean isE164(String number) {
        return number != null && E164.matcher(number).matches();
    }

    /** For logs: all but the last four digits masked ({@code …1234}), enough to tell a customer's numbers apart. */
    public static String redact(String number) {
        if (number == null || number.length() < 8) {
            return "…";
        }
        return "…" + number.substring(number.length() - 4);
    }
}
