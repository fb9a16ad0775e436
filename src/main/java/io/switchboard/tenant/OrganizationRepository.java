package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The organization table as the operator sees it: across organizations, which only the operator may. */
@ApplicationScoped
public class OrganizationRepository {

    /** An organization as the operator lists it. */
    public record OrganizationRow(UUID id, String name, Instant createdAt) {
        static OrganizationRow of(Row row) {
            return new OrganizationRow(row.getUUID("id"), row.getString("name"),
                    row.getOffsetDateTime("created_at").toInstant());
        }
    }

    private final Pool pool;

    public OrganizationRepository(Pool pool) {
        this.pool = pool;
    }

    /** One page of every organization, oldest first. */
    public Uni<ListResponse<OrganizationRow>> page(PageRequest page) {
        Uni<List<OrganizationRow>> rows;
        if (page.hasCursor()) {
            rows = select("""
                    select id, name, created_at from organization
                     where (created_at, id) > ($1, $2) order by created_at, id limit $3""",
                    Tuple.of(OffsetDateTime.ofInstant(page.afterCreatedAt(), ZoneOffset.UTC), page.afterId(),
                            page.fetchSize()));
        } else {
            rows = select("select id, name, created_at from organization order by created_at, id limit $1",
                    Tuple.of(page.fetchSize()));
        }
        return rows.map(list -> page.toResponse(list, OrganizationRow::createdAt, OrganizationRow::id));
    }

    public Uni<OrganizationRow> find(UUID id) {
        return select("select id, name, created_at from organization where id = $1", Tuple.of(id))
                .map(list -> list.isEmpty() ? null : list.get(0));
    }

    /**
     * Locks the organization's row for the deleting transaction: whatever is being added to the organization (a
     * provider, a number) holds a key-share lock on it until it commits, so it is counted, and nothing is added after.
     * False when there is no such organization.
     */
    Uni<Boolean> lock(SqlClient db, UUID id) {
        return db.preparedQuery("select 1 from organization where id = $1 for update").execute(Tuple.of(id))
                .map(rows -> rows.size() > 0);
    }

    /** Deletes the organization's keys, answering their ids so that no replica's cache goes on accepting them. */
    Uni<List<UUID>> deleteKeys(SqlClient db, UUID organizationId) {
        return db.preparedQuery("delete from api_key where organization_id = $1 returning id")
                .execute(Tuple.of(organizationId))
                .map(rows -> {
                    var ids = new ArrayList<UUID>();
                    rows.forEach(row -> ids.add(row.getUUID("id")));
                    return ids;
                });
    }

    /** Deletes the organization's row; its foreign keys delete the rest (agents, calls, messages, events, …). */
    Uni<Void> delete(SqlClient db, UUID id) {
        return db.preparedQuery("delete from organization where id = $1").execute(Tuple.of(id)).replaceWithVoid();
    }

    private Uni<List<OrganizationRow>> select(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            var list = new ArrayList<OrganizationRow>();
            rows.forEach(row -> list.add(OrganizationRow.of(row)));
            return list;
        });
    }
}
