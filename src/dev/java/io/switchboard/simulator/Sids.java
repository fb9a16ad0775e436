package io.switchboard.simulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/** SIDs and the two date formats of Twilio's APIs. */
final class Sids {

    // The 2010 API writes "Tue, 31 Aug 2010 20:36:28 +0000", not RFC 1123's "GMT".
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private Sids() {
    }

    /** A prefix and 32 lower-case hex digits, like {@code CA3f…}. */
    static String next(String prefix) {
        var bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    static String rfc2822(Instant instant) {
        return instant == null ? null : RFC_2822.format(instant);
    }

    /** ISO 8601 in UTC, to the second, as the v1 APIs write it. */
    static String iso(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static boolean isSid(String prefix, String value) {
        return value != null && value.matches(prefix + "[0-9a-fA-F]{32}");
    }
}
