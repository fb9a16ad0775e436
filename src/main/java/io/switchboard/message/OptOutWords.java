package io.switchboard.message;

import java.util.Locale;
import java.util.Set;

/** The keywords Twilio acts on: only a message that is exactly one of them (trimmed, any case) counts. */
enum OptOutWords {
    STOP, START, HELP, NONE;

    private static final Set<String> STOPS = Set.of("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT");
    private static final Set<String> STARTS = Set.of("START", "YES", "UNSTOP");
    private static final Set<String> HELPS = Set.of("HELP", "INFO");

    static OptOutWords of(String body) {
        if (body == null) {
            return NONE;
        }
        String word = body.strip().toUpperCase(Locale.ROOT);
        if (STOPS.contains(word)) {
            return STOP;
        }
        if (STARTS.contains(word)) {
            return START;
        }
        return HELPS.contains(word) ? HELP : NONE;
    }
}
