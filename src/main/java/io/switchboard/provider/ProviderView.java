package io.switchboard.provider;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A provider as the API shows it: never a secret. {@code previousAuthTokenGraceEndsAt}: until when the auth token a
 * rotation replaced is still accepted in webhook signatures; null when none is. {@code us1Credentials}: whether a
 * provider outside us1 has US1 credentials ({@code auth_token}, {@code api_key}) or not ({@code none}); always
 * {@code none} in us1. {@code callsPerSecond}, {@code segmentsPerSecond}: the provider's own pace, null when it
 * keeps the configured default.
 */
public record ProviderView(UUID id, String name, String type, String accountSid, String region, String edge,
        String verificationStatus, Instant lastVerifiedAt, Verification verification, long phoneNumberCount,
        String trunkSid, String terminationUri, String sipUsername, boolean supportsTransfers, Instant createdAt,
        Instant updatedAt, Instant previousAuthTokenGraceEndsAt, String us1Credentials, Double callsPerSecond,
        Double segmentsPerSecond) {

    public record Verification(List<Check> checks) {
    }

    public record Check(String name, String status, String message, Instant checkedAt) {
    }
}
