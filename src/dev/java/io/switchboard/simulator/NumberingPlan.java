package io.switchboard.simulator;

import io.switchboard.common.PhoneNumbers;
import java.util.Map;

/** Just enough numbering-plan knowledge for Lookups, the {@code *_formatted} fields and the country parameters. */
final class NumberingPlan {

    // The shortest numbers in use (Niue: +683 and four digits) have seven digits.
    private static final int SHORTEST = 7;

    // Calling code to ISO country; the longest matching prefix wins. +1 is taken as US.
    private static final Map<String, String> COUNTRIES = Map.ofEntries(
            Map.entry("1", "US"), Map.entry("44", "GB"), Map.entry("353", "IE"), Map.entry("61", "AU"),
            Map.entry("49", "DE"), Map.entry("33", "FR"), Map.entry("34", "ES"), Map.entry("39", "IT"),
            Map.entry("31", "NL"), Map.entry("81", "JP"), Map.entry("65", "SG"), Map.entry("55", "BR"),
            Map.entry("52", "MX"), Map.entry("91", "IN"));

    private NumberingPlan() {
    }

    /** E.164 and long enough to be a number someone could have: what Twilio accepts as a {@code To}. */
    static boolean isPossible(String number) {
        return PhoneNumbers.isE164(number) && number.length() - 1 >= SHORTEST;
    }

    /** The calling code of a possible number, or null when no known code matches. */
    static String callingCode(String number) {
        if (!isPossible(number)) {
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
        if (isPossible(number) && number.startsWith("+1") && number.length() == 12) {
            return "(" + number.substring(2, 5) + ") " + number.substring(5, 8) + "-" + number.substring(8);
        }
        if (isPossible(number) && callingCode(number) != null) {
            return "0" + number.substring(1 + callingCode(number).length());
        }
        return number;
    }

    /** Whether the number is plausible: possible, with a known calling code, and ten digits after +1. */
    static boolean isValid(String number) {
        String code = callingCode(number);
        if (code == null) {
            return false;
        }
        return !"1".equals(code) || number.length() == 12;
    }
}
