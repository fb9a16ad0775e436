package io.switchboard.twilio;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Twilio's dates: RFC 2822 ({@code Tue, 31 Aug 2010 20:36:28 +0000}) in resources and in callbacks alike. */
public final class TwilioDates {

    private TwilioDates() {
    }

    /** The date, or null when absent or unreadable: a malformed date never fails what carries it. */
    public static OffsetDateTime parse(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
