package io.switchboard.webhook;

import io.switchboard.twilio.TwilioDates;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * One Twilio callback as {@code communication_event} stores it: every parameter (unknown ones too) as a JSON object of
 * arrays, and the key that makes a redelivery land on the same row.
 *
 * @param params the JSON text of {@link FormParams#toJsonString()}, for a {@code jsonb} column
 * @param dedupeKey Twilio's idempotency token when it sent one, else {@code type|sid|status|sequence}
 */
public record CallbackEvent(String type, String sid, String status, Integer sequence, OffsetDateTime receivedAt,
        String params, String dedupeKey) {

    public static CallbackEvent of(VerifiedWebhook webhook, String type, String sid, String status, Integer sequence) {
        return new CallbackEvent(type, clean(sid), clean(status), sequence, OffsetDateTime.now(ZoneOffset.UTC),
                webhook.params().toJsonString(), dedupeKey(webhook, type, sid, status, sequence));
    }

    /** The same event under another dedupe key, for a callback whose default key does not tell it apart. */
    public CallbackEvent withDedupeKey(String key) {
        return new CallbackEvent(type, sid, status, sequence, receivedAt, params, key);
    }

    /** Twilio's idempotency token when it sent one, else {@code type|sid|status|sequence}. */
    public static String dedupeKey(VerifiedWebhook webhook, String type, String sid, String status, Integer sequence) {
        String token = webhook.idempotencyToken();
        return token != null && !token.isBlank() ? "token:" + clean(token)
                : type + "|" + sid + "|" + (status == null ? "" : status) + "|" + (sequence == null ? "" : sequence);
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
