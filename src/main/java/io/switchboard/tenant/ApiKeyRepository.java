package io.switchboard.tenant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ApiKeyRepository extends TenantRepository<ApiKey> {

    public ApiKeyRepository(TenantContext tenant) {
        super(ApiKey.class, tenant);
    }

    /** Authentication only: the caller's organization is what this lookup establishes. */
    public Uni<ApiKey> findActiveByHashAcrossOrganizations(String keyHash) {
        return Panache.getSession().chain(s -> s
                .createSelectionQuery("from ApiKey where keyHash = :hash and revokedAt is null", ApiKey.class)
                .setParameter("hash", keyHash)
                .getSingleResultOrNull());
    }

    /** The operator may revoke any organization's key. */
    public Uni<ApiKey> findByIdAsOperator(UUID id) {
        return Panache.getSession().chain(s -> s.find(ApiKey.class, id));
    }

    /** For the operator, who acts for the organization it is issuing a key to. */
    public Uni<ApiKey> persistFor(UUID organizationId, ApiKey key) {
        key.organizationId = organizationId;
        return Panache.getSession().chain(s -> s.persist(key)).replaceWith(key);
    }
}
