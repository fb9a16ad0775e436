package io.switchboard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** An organization's API key. Only its SHA-256 hash is stored; the key itself is shown once, at creation. */
@Entity
@Table(name = "api_key")
public class ApiKey extends TenantOwnedEntity {

    @Column(name = "key_hash", nullable = false, updatable = false)
    public String keyHash;

    /** The first characters of the key, so a person can tell keys apart without the key. */
    @Column(name = "key_prefix", nullable = false, updatable = false)
    public String keyPrefix;

    @Column(name = "revoked_at")
    public Instant revokedAt;
}
