package io.switchboard.webhook;

import io.switchboard.twilio.TwilioDates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * One Twilio callback as {@code communication_event} stores it: every parameter (unknown ones too) as a JSON object of
 * arrays, and the key that makes a redelivery land on the same row.
 *
 * @param params the JSON text of {@link FormParams#toJsonString()}, for a {@code jsonb} column
 * @param dedupeKey the account, then Twilio's idempotency token when it sent one, else {@code type|sid|status|sequence}
 */
public record CallbackEvent(String type, String sid, String status, Integer sequence, OffsetDateTime receivedAt,
        String params, String dedupeKey) {

    /** The longest sid stored: Twilio's are 34 characters; the column is indexed, and an index entry is bounded. */
    public static final int MAX_SID = 64;
    /** The longest idempotency token taken from a callback; Twilio's are far shorter. */
    public static final int MAX_TOKEN = 512;
    /**
     * The longest dedupe key stored as it is; a longer one is cut and ends with a digest of the whole, so it still
     * tells callbacks apart and always fits in the unique index (about 2.7 KB a row), even of four-byte characters.
     */
    static final int MAX_KEY = 512;

    public static CallbackEvent of(VerifiedWebhook webhook, String type, String sid, String status, Integer sequence) {
        return new CallbackEvent(type, clean(sid), clean(status), sequence, OffsetDateTime.now(ZoneOffset.UTC),
                webhook.params().toJsonString(), dedupeKey(webhook, type, sid, status, sequence));
    }

    /** The same event under another dedupe key, for a callback whose default key does not tell it apart. */
    public CallbackEvent withDedupeKey(String key) {
        return new CallbackEvent(type, sid, status, sequence, receivedAt, params, storableKey(key));
    }

    /**
     * {@code <AccountSid>|token:<token>} with Twilio's idempotency token when it sent one, else
     * {@code <AccountSid>|type|sid|status|sequence}: without NUL, and bounded (see {@link #MAX_KEY}), since every part
     * of it is what the callback sent. The account that signed it comes first, so another account's callback with
     * the same token or sid (any connected account can sign one) is stored beside it rather than taken for it.
     */
    public static String dedupeKey(VerifiedWebhook webhook, String type, String sid, String status, Integer sequence) {
        String token = webhook.idempotencyToken();
        return storableKey(webhook.accountSid() + "|" + (token != null && !token.isBlank() ? "token:" + token
                : type + "|" + sid + "|" + (status == null ? "" : status) + "|" + (sequence == null ? "" : sequence)));
    }

    private static String storableKey(String key) {
        String clean = clean(key);
        if (clean.length() <= MAX_KEY) {
            return clean;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(clean.getBytes(StandardCharsets.UTF_8));
            String suffix = "#sha256:" + HexFormat.of().formatHex(digest);
            return truncate(clean, MAX_KEY - suffix.length()) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Whether an identifier a callback is stored under (a sid, an idempotency token) can be stored as sent: not
     * longer than {@code max}, and without a control character, which no Twilio identifier has.
     */
    public static boolean isStorableIdentifier(String value, int max) {
        return value.length() <= max && value.chars().noneMatch(Character::isISOControl);
    }

    /** The first {@code max} characters of {@code value}, one fewer rather than half of a surrogate pair. */
    public static String truncate(String value, int max) {
        if (value == null || value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    /** A numeric parameter, or null when absent or malformed: a bad value must not make the callback unstorable. */
    public static Integer integer(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** PostgreSQL refuses NUL in text and jsonb; one such byte must not turn a callback into a 503 loop. */
    public static String clean(String value) {
        return value == null || value.indexOf('\0') < 0 ? value : value.replace("\0", "");
    }

    /** When Twilio said it happened, else when it reached us. */
    public OffsetDateTime at(String twilioTimestamp) {
        OffsetDateTime t = TwilioDates.parse(twilioTimestamp);
        return t != null ? t : receivedAt;
    }

    public Instant receivedInstant() {
        return receivedAt.toInstant();
    }
}
