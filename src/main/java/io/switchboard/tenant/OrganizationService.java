package io.switchboard.tenant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** Organizations and their API keys. */
@ApplicationScoped
public class OrganizationService {

    /** A key as it is shown once: the stored row and the plain key. */
    public record IssuedKey(ApiKey key, String plainKey) {
    }

    public record CreatedOrganization(Organization organization, IssuedKey key) {
    }

    private final ApiKeyRepository keys;
    private final TenantContext tenant;
    private final VerifiedKeys verified;

    public OrganizationService(ApiKeyRepository keys, TenantContext tenant, VerifiedKeys verified) {
        this.keys = keys;
        this.tenant = tenant;
        this.verified = verified;
    }

    @WithTransaction
    public Uni<CreatedOrganization> create(String name) {
        var org = new Organization();
        org.id = UUID.randomUUID();
        org.name = name.strip();
        org.createdAt = Instant.now();
        org.updatedAt = org.createdAt;
        return org.<Organization>persist()
                .chain(saved -> issue(saved.id).map(key -> new CreatedOrganization(saved, key)));
    }

    /**
     * Dev seeding: the organization with this id and an active key that is exactly {@code plainKey}, each created when
     * absent, so that a kept dev database keeps one fixed organization and key across restarts. True when either was
     * created. A key already issued to another organization is refused.
     */
    public Uni<Boolean> createIfAbsent(UUID id, String name, String plainKey) {
        String hash = ApiKeys.hash(plainKey);
        // Looked up before a transaction opens, so that none stays idle while the queries are first prepared.
        return Panache.withSession(() -> Organization.<Organization>findById(id).chain(org -> keys
                .findActiveByHashAcrossOrganizations(hash).map(key -> new Found(org != null, key))))
                .chain(found -> {
                    if (found.key() != null && !found.key().organizationId.equals(id)) {
                        return Uni.createFrom().failure(
                                new IllegalStateException("the key belongs to another organization"));
                    }
                    if (found.organization() && found.key() != null) {
                        return Uni.createFrom().item(false);
                    }
                    return Panache.withTransaction(() -> (found.organization() ? Uni.createFrom().voidItem()
                            : newOrganization(id, name).persist().replaceWithVoid())
                            .chain(() -> found.key() != null ? Uni.createFrom().voidItem()
                                    : keys.persistFor(id, newKey(plainKey)).replaceWithVoid()))
                            .replaceWith(true);
                });
    }

    private record Found(boolean organization, ApiKey key) {
    }

    private static Organization newOrganization(UUID id, String name) {
        var org = new Organization();
        org.id = id;
        org.name = name;
        org.createdAt = Instant.now();
        org.updatedAt = org.createdAt;
        return org;
    }

    private static ApiKey newKey(String plainKey) {
        var key = new ApiKey();
        key.id = UUID.randomUUID();
        key.keyHash = ApiKeys.hash(plainKey);
        key.keyPrefix = ApiKeys.displayPrefix(plainKey);
        key.createdAt = Instant.now();
        return key;
    }

    /** Operator: a new key for an existing organization. */
    @WithTransaction
    public Uni<IssuedKey> issueKey(UUID organizationId) {
        return Organization.<Organization>findById(organizationId)
                .onItem().ifNull().failWith(() -> ApiException.notFound("organization"))
                .chain(org -> issue(org.id));
    }

    /**
     * Revokes a key at once. The operator may revoke any key; an organization only its own, and another
     * organization's key is simply not found.
     */
    @WithTransaction
    public Uni<Void> revokeKey(UUID keyId) {
        Uni<ApiKey> found = tenant.isOperator() ? keys.findByIdAsOperator(keyId) : keys.findById(keyId);
        return found.onItem().ifNull().failWith(() -> ApiException.notFound("api key"))
                .invoke(key -> {
                    if (key.revokedAt == null) {
                        key.revokedAt = Instant.now();
                    }
                    verified.revoked(key.id);
                })
                .replaceWithVoid();
    }

    @WithSession
    public Uni<ListResponse<ApiKey>> listKeys(PageRequest page) {
        return keys.page("", Map.of(), page);
    }

    /**
     * The organization of a key verified a moment ago (see {@link VerifiedKeys}), or null: then ask
     * {@link #authenticate}. Apart, so that a known key needs no database session.
     */
    public UUID recentlyVerified(String plainKey) {
        return verified.find(ApiKeys.hash(plainKey));
    }

    /** The organization of an active key, or null. */
    @WithSession
    public Uni<UUID> authenticate(String plainKey) {
        String hash = ApiKeys.hash(plainKey);
        return keys.findActiveByHashAcrossOrganizations(hash).map(key -> {
            if (key == null) {
                return null;
            }
            verified.put(hash, key.id, key.organizationId);
            return key.organizationId;
        });
    }

    private Uni<IssuedKey> issue(UUID organizationId) {
        String plain = ApiKeys.generate();
        var key = new ApiKey();
        key.id = UUID.randomUUID();
        key.keyHash = ApiKeys.hash(plain);
        key.keyPrefix = ApiKeys.displayPrefix(plain);
        key.createdAt = Instant.now();
        return keys.persistFor(organizationId, key).map(saved -> new IssuedKey(saved, plain));
    }
}
