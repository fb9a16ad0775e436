package io.switchboard.message;

/**
 * GSM-7 when every character is in the GSM-7 tables, else UCS-2, as Twilio encodes a message; and how many segments
 * Twilio bills for it: GSM-7 one of 160 or 153 each, UCS-2 one of 70 or 67 each, a character never split.
 */
public final class SmsEncoding {

    public static final String GSM_7 = "GSM-7";
    public static final String UCS_2 = "UCS-2";
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
            + " !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";
    private static final int GSM_SINGLE = 160;
    private static final int GSM_PART = 153;
    private static final int UCS_SINGLE = 70;
    private static final int UCS_PART = 67;

    private SmsEncoding() {
    }

    public static String of(String body) {
        if (body == null) {
            return GSM_7;
        }
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
                return UCS_2;
            }
        }
        return GSM_7;
    }

    /** Segments of the body: at least one, even for an empty body. */
    public static int segments(String body) {
        if (body == null || body.isEmpty()) {
            return 1;
        }
        boolean gsm = GSM_7.equals(of(body));
        // Units per character: septets for GSM-7 (an extension character takes two), UTF-16 units for UCS-2 (a
        // surrogate pair takes two and is kept whole).
        int total = 0;
        for (int i = 0; i < body.length();) {
            int w = width(body, i, gsm);
            total += w;
            i += gsm ? 1 : w;
        }
        if (total <= (gsm ? GSM_SINGLE : UCS_SINGLE)) {
            return 1;
        }
        int part = gsm ? GSM_PART : UCS_PART;
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length();) {
            int w = width(body, i, gsm);
            if (used + w > part) {
                segments++;
                used = 0;
            }
            used += w;
            i += gsm ? 1 : w;
        }
        return segments;
    }

    private static int width(String body, int i, boolean gsm) {
        char c = body.charAt(i);
        if (gsm) {
            return EXTENSION.indexOf(c) >= 0 ? 2 : 1;
        }
        return Character.isHighSurrogate(c) && i + 1 < body.length() && Character.isLowSurrogate(body.charAt(i + 1))
                ? 2 : 1;
    }
}
