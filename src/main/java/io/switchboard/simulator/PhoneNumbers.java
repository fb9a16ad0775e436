package io.switchboard.simulator;

import java.util.Map;
import java.util.regex.Pattern;

/** Just enough numbering-plan knowledge for Lookups and the {@code *_formatted} fields. */
final class PhoneNumbers {

    static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

    // Calling code to ISO country; the longest matching prefix wins. +1 is taken as US.
    private static final Map<String, String> COUNTRIES = Map.ofEntries(
            Map.entry("1", "US"), Map.entry("44", "GB"), Map.entry("353", "IE"), Map.entry("61", "AU"),
            Map.entry("49", "DE"), Map.entry("33", "FR"), Map.entry("34", "ES"), Map.entry("39", "IT"),
            Map.entry("31", "NL"), Map.entry("81", "JP"), Map.entry("65", "SG"), Map.entry("55", "BR"),
            Map.entry("52", "MX"), Map.entry("91", "IN"));

    private PhoneNumbers() {
    }

    static boolean isE164(String number) {
        return number != null && E164.matcher(number).matches();
    }

    /** The calling code of an E.164 number, or null when no known code matches. */
    static String callingCode(String number) {
        if (!isE164(number)) {
            return null;
        }
        for (int length = 3; length >= 1; length--) {
            String prefix = number.substring(1, 1 + length);
            if (COUNTRIES.containsKey(prefix)) {
                return prefix;
            }
        }
        return null;
    }

    static String country(String number) {
        String code = callingCode(number);
        return code == null ? null : COUNTRIES.get(code);
    }

    /** "(415) 555-0100" for NANP numbers; other numbers stay as they are. */
    static String nationalFormat(String number) {
        if (isE164(number) && number.startsWith("+1") && number.length() == 12) {
            return "(" + number.substring(2, 5) + ") " + number.substring(5, 8) + "-" + number.substring(8);
        }
        if (isE164(number) && callingCode(number) != null) {
            return "0" + number.substring(1 + callingCode(number).length());
        }
        return number;
    }

    /** Whether the number is plausible: E.164 with a known calling code, and ten digits after +1. */
    static boolean isValid(String number) {
        String code = callingCode(number);
        if (code == null) {
            return false;
        }
        return !"1".equals(code) || number.length() == 12;
    }
}
