package io.switchboard.number;

import java.time.Instant;
import java.util.UUID;

/** A phone number as the API shows it. */
public record PhoneNumberView(UUID id, String number, String label, UUID providerId, UUID agentId, String twilioSid,
        Capabilities capabilities, Instant createdAt, Instant updatedAt) {

    public record Capabilities(boolean voice, boolean sms) {
    }

    static PhoneNumberView of(PhoneNumber n) {
        return new PhoneNumberView(n.id, n.number, n.label, n.providerId, n.agentId, n.twilioSid,
                new Capabilities(n.voice, n.sms), n.createdAt, n.updatedAt);
    }
}
