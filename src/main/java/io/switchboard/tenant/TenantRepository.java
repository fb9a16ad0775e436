package io.switchboard.tenant;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * The one way to read and write {@link TenantOwnedEntity} rows. Every query it runs is restricted to the
 * organization of the current request, and every row it persists is stamped with it, so a feature cannot forget
 * the scope: there is no unscoped query method to call. Queries that must cross organizations (webhooks from
 * Twilio, authentication) live in the subclass under names that say so.
 */
public abstract class TenantRepository<E extends TenantOwnedEntity> {

    private static final String ORDER = " order by createdAt, id";

    private final Class<E> type;
    private final TenantContext tenant;

    /** For the client proxies of normal-scoped subclasses only. */
    protected TenantRepository() {
        this(null, null);
    }

    protected TenantRepository(Class<E> type, TenantContext tenant) {
        this.type = type;
        this.tenant = tenant;
    }

    /** The caller's row with this id, or null: another organization's row is indistinguishable from no row. */
    public Uni<E> findById(UUID id) {
        return query("id = :id", Map.of("id", id), "").chain(Mutiny.SelectionQuery::getSingleResultOrNull);
    }

    /** Rows matching {@code where} (HQL over the entity's fields), oldest first. */
    public Uni<List<E>> list(String where, Map<String, Object> params) {
        return query(where, params, ORDER).chain(Mutiny.SelectionQuery::getResultList);
    }

    /** One page of rows matching {@code where}, oldest first, with the cursor of the next page. */
    public Uni<ListResponse<E>> page(String where, Map<String, Object> params, PageRequest page) {
        var all = new HashMap<>(params);
        String clause = where;
        if (page.hasCursor()) {
            clause = (where.isBlank() ? "" : "(" + where + ") and ")
                    + "(createdAt > :afterCreatedAt or (createdAt = :afterCreatedAt and id > :afterId))";
            all.put("afterCreatedAt", page.afterCreatedAt());
            all.put("afterId", page.afterId());
        }
        return query(clause, all, ORDER)
                .chain(q -> q.setMaxResults(page.fetchSize()).getResultList())
                .map(rows -> page.toResponse(rows, e -> e.createdAt, e -> e.id));
    }

    public Uni<Long> count(String where, Map<String, Object> params) {
        String hql = "select count(*) from " + entityName() + " where " + scopedWhere(where);
        return Panache.getSession().chain(s -> bind(s.createSelectionQuery(hql, Long.class), scoped(params))
                .getSingleResult());
    }

    /** Stores a new row for the caller's organization, with a fresh id unless one is set. */
    public Uni<E> persist(E entity) {
        entity.organizationId = tenant.requireOrganization();
        if (entity.id == null) {
            entity.id = UUID.randomUUID();
        }
        if (entity.createdAt == null) {
            entity.createdAt = Instant.now();
        }
        return Panache.getSession().chain(s -> s.persist(entity)).replaceWith(entity);
    }

    public Uni<Void> delete(E entity) {
        if (!tenant.requireOrganization().equals(entity.organizationId)) {
            throw new IllegalStateException("refusing to delete another organization's row");
        }
        return Panache.getSession().chain(s -> s.remove(entity));
    }

    public Uni<Void> flush() {
        return Panache.getSession().chain(Mutiny.Session::flush);
    }

    protected UUID organizationId() {
        return tenant.requireOrganization();
    }

    protected String entityName() {
        return type.getSimpleName();
    }

    private Uni<Mutiny.SelectionQuery<E>> query(String where, Map<String, Object> params, String orderBy) {
        String hql = "from " + entityName() + " where " + scopedWhere(where) + orderBy;
        return Panache.getSession().map(s -> bind(s.createSelectionQuery(hql, type), scoped(params)));
    }

    private static String scopedWhere(String where) {
        return "organizationId = :organizationId" + (where.isBlank() ? "" : " and (" + where + ")");
    }

    private static <T> Mutiny.SelectionQuery<T> bind(Mutiny.SelectionQuery<T> query, Map<String, Object> params) {
        params.forEach(query::setParameter);
        return query;
    }

    private Map<String, Object> scoped(Map<String, Object> params) {
        var all = new HashMap<>(params);
        all.put("organizationId", tenant.requireOrganization());
        return all;
    }
}
