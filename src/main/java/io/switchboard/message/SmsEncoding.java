package io.switchboard.message;

/** GSM-7 when every character is in the GSM-7 tables, else UCS-2, as Twilio encodes a message. */
final class SmsEncoding {

    static final String GSM_7 = "GSM-7";
    static final String UCS_2 = "UCS-2";
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ"
            + " !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String EXTENSION = "\f^{}\\[~]|€";

    private SmsEncoding() {
    }

    static String of(String body) {
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
}
