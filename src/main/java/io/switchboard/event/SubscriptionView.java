package io.switchboard.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subscription as the API shows it. {@code secret} is there only in the answer that created it or rotated it; it is
 * never shown again.
 */
public record SubscriptionView(UUID id, String url, List<String> events, String description, String status,
        String pausedReason, Instant pausedAt, Instant previousSecretExpiresAt, Instant createdAt, Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String secret) {

    SubscriptionView withSecret(String shownOnce) {
        return new SubscriptionView(id, url, events, description, status, pausedReason, pausedAt,
                previousSecretExpiresAt, createdAt, updatedAt, shownOnce);
    }
}
