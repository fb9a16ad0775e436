package io.switchboard.tenant;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;
import java.time.Instant;
import java.util.UUID;

/**
 * A row that belongs to one organization. Such rows are read and written only through a {@link TenantRepository},
 * which adds the caller's organization to every query.
 */
@MappedSuperclass
public abstract class TenantOwnedEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false, updatable = false)
    public UUID organizationId;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
