package io.switchboard.call;

import io.switchboard.common.Validation;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * When a batch's calls may be placed, in each target's local time: from {@code start} to {@code end} ("HH:MM", end
 * excluded; "24:00" is the end of the day) on {@code days} ({@code mon} … {@code sun}; every day when absent). A
 * window never spans midnight.
 */
public record CallingWindow(String start, String end, List<String> days) {

    static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");
    private static final Pattern TIME = Pattern.compile("([01][0-9]|2[0-3]):[0-5][0-9]");
    private static final String FIELD = "callingWindow";

    void validate(Validation v) {
        boolean startOk = start != null && TIME.matcher(start).matches();
        boolean endOk = end != null && (TIME.matcher(end).matches() || end.equals("24:00"));
        v.require(startOk, FIELD + ".start", "must be a time of day as HH:MM, 00:00 to 23:59");
        v.require(endOk, FIELD + ".end", "must be a time of day as HH:MM, 00:01 to 24:00");
        if (startOk && endOk && start.compareTo(end) >= 0) {
            v.error(FIELD + ".end", "must be after start (a window never spans midnight)");
        }
        if (days != null) {
            if (days.isEmpty()) {
                v.error(FIELD + ".days", "must name at least one day, or be left out for every day");
            }
            var seen = new HashSet<String>();
            for (int i = 0; i < days.size(); i++) {
                String day = days.get(i);
                if (day == null || !DAYS.contains(day.toLowerCase(Locale.ROOT))) {
                    v.error(FIELD + ".days[" + i + "]", "must be one of " + String.join(", ", DAYS));
                } else if (!seen.add(day.toLowerCase(Locale.ROOT))) {
                    v.error(FIELD + ".days[" + i + "]", "is given twice");
                }
            }
        }
    }

    /** The ISO numbers of the days (1 Monday … 7 Sunday), as stored. */
    Integer[] isoDays() {
        if (days == null) {
            return new Integer[] { 1, 2, 3, 4, 5, 6, 7 };
        }
        return days.stream().map(d -> DAYS.indexOf(d.toLowerCase(Locale.ROOT)) + 1).sorted().toArray(Integer[]::new);
    }

    /** As stored: the ISO day numbers back to names, in week order. */
    static List<String> dayNames(Integer[] isoDays) {
        return Arrays.stream(isoDays).map(d -> DAYS.get(d - 1)).toList();
    }
}
