package io.switchboard.tenant;

import io.quarkus.arc.All;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiError;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.tenant.OrganizationRepository.OrganizationRow;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Organizations and their API keys. */
@ApplicationScoped
public class OrganizationService {

    private static final Logger LOG = Logger.getLogger(OrganizationService.class);

    /** A key as it is shown once: the stored row and the plain key. */
    public record IssuedKey(ApiKey key, String plainKey) {
    }

    public record CreatedOrganization(Organization organization, IssuedKey key) {
    }

    private final ApiKeyRepository keys;
    private final OrganizationRepository organizations;
    private final List<OrganizationContents> contents;
    private final Pool pool;
    private final TenantContext tenant;
    private final VerifiedKeys verified;

    public OrganizationService(ApiKeyRepository keys, OrganizationRepository organizations,
            @All List<OrganizationContents> contents, Pool pool, TenantContext tenant, VerifiedKeys verified) {
        this.keys = keys;
        this.organizations = organizations;
        this.contents = contents;
        this.pool = pool;
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

    /** The caller's organization: a new key of its own, for a rotation without the operator. */
    @WithTransaction
    public Uni<IssuedKey> createOwnKey() {
        return issue(tenant.requireOrganization());
    }

    /** Operator: every organization, oldest first. */
    public Uni<ListResponse<OrganizationRow>> list(PageRequest page) {
        return organizations.page(page);
    }

    /** Operator: one organization, or null. */
    public Uni<OrganizationRow> find(UUID id) {
        return organizations.find(id);
    }

    /**
     * Operator: deletes an organization with everything it owns in this service (agents, calls, messages, events,
     * subscriptions, keys, the do-not-contact list), in one transaction, so nothing is left half-deleted. Refused
     * (409 {@code organization_not_empty}, naming each kind and how many) while it still has providers or phone
     * numbers: those hold configuration in the customer's Twilio account (a SIP trunk, each number's webhooks) that
     * only their own deletes take away or restore, and a cascade here would leave the customer's numbers pointing at
     * this service.
     */
    public Uni<Void> delete(UUID id) {
        return pool.withTransaction(db -> organizations.lock(db, id).chain(found -> {
            if (!found) {
                return Uni.createFrom().failure(ApiException.notFound("organization"));
            }
            return remaining(db, id).chain(remaining -> {
                if (!remaining.isEmpty()) {
                    return Uni.createFrom().failure(notEmpty(remaining));
                }
                return deleteUnlinked(db, id, 0)
                        .chain(() -> organizations.deleteKeys(db, id))
                        .call(ids -> organizations.delete(db, id));
            });
        })).invoke(keyIds -> {
            keyIds.forEach(verified::revoked);
            LOG.infof("organization %s deleted with its %d API keys", id, keyIds.size());
        }).replaceWithVoid();
    }

    private Uni<Map<String, Long>> remaining(SqlClient db, UUID id) {
        Uni<Map<String, Long>> all = Uni.createFrom().item(new TreeMap<>());
        for (var part : contents) {
            all = all.chain(found -> part.remaining(db, id).map(more -> {
                more.forEach((name, count) -> {
                    if (count > 0) {
                        found.merge(name, count, Long::sum);
                    }
                });
                return found;
            }));
        }
        return all;
    }

    private Uni<Void> deleteUnlinked(SqlClient db, UUID id, int from) {
        if (from == contents.size()) {
            return Uni.createFrom().voidItem();
        }
        return contents.get(from).deleteUnlinked(db, id).chain(() -> deleteUnlinked(db, id, from + 1));
    }

    private static ApiException notEmpty(Map<String, Long> remaining) {
        var details = new ArrayList<ApiError.FieldError>();
        remaining.forEach((name, count) -> details.add(new ApiError.FieldError(name,
                count + " remain; delete them first (DELETE /v1/" + path(name) + "/{id})")));
        String summary = String.join(", ", remaining.entrySet().stream().map(e -> e.getValue() + " " + e.getKey())
                .toList());
        return new ApiException(409, "organization_not_empty",
                "the organization still has " + summary + ", which hold configuration in its Twilio account", details);
    }

    /** {@code phoneNumbers} → {@code phone-numbers}: the API path of a kind named as in JSON. */
    private static String path(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
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
