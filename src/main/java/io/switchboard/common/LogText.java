package io.switchboard.common;

/**
 * A value taken from a request (a sid, a status, an error message that may quote input), made safe to put in a log
 * line: no control or line-separator character reaches the log as itself, so a value cannot end the line and forge
 * the next, and a long value is cut.
 */
public final class LogText {

    /** Enough to recognise any identifier Twilio sends; more only floods the log. */
    static final int MAX = 200;

    private LogText() {
    }

    /** {@code value} with CR, LF, tab as {@code \r \n \t}, other controls as {@code \\uXXXX}, cut after {@value #MAX}. */
    public static String safe(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX && value.chars().noneMatch(LogText::isUnsafe)) {
            return value;
        }
        var out = new StringBuilder(Math.min(value.length(), MAX) + 16);
        int end = Math.min(value.length(), MAX);
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            if (!isUnsafe(c)) {
                out.append(c);
                continue;
            }
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (end < value.length()) {
            out.append("…(").append(value.length()).append(" characters)");
        }
        return out.toString();
    }

    /** Controls (C0, DEL, C1) and the Unicode line and paragraph separators, which some log viewers break lines on. */
    private static boolean isUnsafe(int c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
