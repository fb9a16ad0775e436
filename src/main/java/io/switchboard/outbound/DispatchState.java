package io.switchboard.outbound;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where an outbound send stands, as stored in {@code dispatch_state} (null for inbound rows). The one home of these
 * names: every statement that reads or writes the column takes them from here.
 */
public enum DispatchState {
    /** Not yet sent to Twilio; due at {@code next_attempt_at}. */
    WAITING,
    /**
     * Claimed by one replica until {@code claimed_until}. A claim that outlives its lease may have reached Twilio, so
     * it is reconciled, never simply sent again.
     */
    PLACING,
    /** Twilio may have created it: reconciled, never sent again blindly. */
    AMBIGUOUS,
    /** The row carries Twilio's sid, or a final failed or canceled status. */
    DONE;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");

    /** As stored. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The statement with each {@code {waiting}}, {@code {placing}}, {@code {ambiguous}} and {@code {done}} written as
     * the state's SQL literal. Inlined rather than bound: a generic plan can then still use the partial indexes on
     * {@code dispatch_state}. Any other placeholder left in the statement is a mistake and fails at once.
     */
    public static String inline(String statement) {
        return PLACEHOLDER.matcher(statement).replaceAll(m -> Matcher.quoteReplacement(named(m.group(1)).literal()));
    }

    private String literal() {
        return "'" + value() + "'";
    }

    private static DispatchState named(String placeholder) {
        for (DispatchState state : values()) {
            if (state.value().equals(placeholder)) {
                return state;
            }
        }
        throw new IllegalArgumentException("{" + placeholder + "} is not a dispatch state");
    }
}
