package io.switchboard.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys verified against the database in the last {@code switchboard.auth.key-cache-ttl}, by hash: every bearer
 * request was a database lookup. Bounded; a key revoked on this replica is dropped at once, and stays refused here
 * for a TTL even if a lookup that started before the revocation committed would cache it again.
 */
@ApplicationScoped
public class VerifiedKeys {

    private record Verified(UUID keyId, UUID organizationId, long expiresAt) {
    }

    private final Map<String, Verified> byHash = new ConcurrentHashMap<>();
    private final Map<UUID, Long> revoked = new ConcurrentHashMap<>();
    private final long ttl;
    private final int capacity;

    public VerifiedKeys(AuthConfig config) {
        this.ttl = config.keyCacheTtl().toNanos();
        this.capacity = config.keyCacheSize();
    }

    /** The organization of a key verified less than a TTL ago and not revoked here since, or null. */
    UUID find(String keyHash) {
        Verified verified = byHash.get(keyHash);
        if (verified == null) {
            return null;
        }
        if (System.nanoTime() - verified.expiresAt >= 0 || revoked.containsKey(verified.keyId)) {
            byHash.remove(keyHash, verified);
            return null;
        }
        return verified.organizationId;
    }

    void put(String keyHash, UUID keyId, UUID organizationId) {
        long now = System.nanoTime();
        if (revoked.containsKey(keyId) || capacity == 0) {
            return;
        }
        if (byHash.size() >= capacity) {
            prune(now);
            if (byHash.size() >= capacity) {
                return;
            }
        }
        byHash.put(keyHash, new Verified(keyId, organizationId, now + ttl));
    }

    /** The key stops working on this replica at once. */
    void revoked(UUID keyId) {
        long now = System.nanoTime();
        revoked.put(keyId, now + ttl);
        byHash.values().removeIf(verified -> verified.keyId.equals(keyId));
        revoked.values().removeIf(until -> now - until >= 0);
    }

    private void prune(long now) {
        byHash.values().removeIf(verified -> now - verified.expiresAt >= 0);
    }
}
