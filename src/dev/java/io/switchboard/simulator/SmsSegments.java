package io.switchboard.simulator;

/** Segment count of an SMS body: GSM-7 when every character fits, else UCS-2 for the whole message. */
final class SmsSegments {

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
            + " !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "\f^{}\\[~]|€";

    private SmsSegments() {
    }

    static int count(String body) {
        if (body == null || body.isEmpty()) {
            return 1;
        }
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return ucs2Segments(body);
            }
        }
        return septets <= 160 ? 1 : gsmSegments(body);
    }

    // An escape pair never straddles two segments.
    private static int gsmSegments(String body) {
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int width = GSM_EXTENSION.indexOf(body.charAt(i)) >= 0 ? 2 : 1;
            if (used + width > 153) {
                segments++;
                used = 0;
            }
            used += width;
        }
        return segments;
    }

    // A surrogate pair never straddles two segments.
    private static int ucs2Segments(String body) {
        if (body.length() <= 70) {
            return 1;
        }
        int segments = 1;
        int used = 0;
        for (int i = 0; i < body.length(); i++) {
            int width = Character.isHighSurrogate(body.charAt(i)) && i + 1 < body.length() ? 2 : 1;
            if (used + width > 67) {
                segments++;
                used = 0;
            }
            used += width;
            i += width - 1;
        }
        return segments;
    }
}
