package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The organization's do-not-contact list ({@code do_not_contact}): numbers that replied STOP (or that Twilio refused
 * with 21610) and numbers added through the API. Every outbound kind checks it as it claims a send.
 */
@ApplicationScoped
public class DoNotContactRepository {

    /** A condition over an outbound row {@code t} (its organization and {@code to_number}): the recipient is listed. */
    public static final String LISTED = """
            exists (select 1 from do_not_contact d
                     where d.organization_id = t.organization_id and d.number = t.to_number)""";

    /** The skip reason of a send withheld because its recipient is listed. */
    public static final String SKIP_REASON = "do_not_contact";

    /** The stored entry, and whether this add created it. */
    record Added(DoNotContactView entry, boolean created) {
    }

    private static final String COLUMNS = "number, source, reason, created_at";

    private final Pool pool;

    DoNotContactRepository(Pool pool) {
        this.pool = pool;
    }

    /** Ordered by number, keyset-paged on it (the cursor is the last number, encoded). */
    Uni<ListResponse<DoNotContactView>> list(UUID organizationId, int limit, String afterNumber) {
        return pool.preparedQuery("select " + COLUMNS + " " + """
                from do_not_contact
                where organization_id = $1 and ($2::text is null or number > $2::text)
                order by number limit $3""")
                .execute(Tuple.of(organizationId, afterNumber, limit + 1))
                .map(rows -> {
                    var items = new ArrayList<DoNotContactView>();
                    rows.forEach(row -> items.add(view(row)));
                    if (items.size() <= limit) {
                        return new ListResponse<>(items, null);
                    }
                    var page = List.copyOf(items.subList(0, limit));
                    return new ListResponse<>(page, PageRequest.encodeCursor(page.get(limit - 1).number()));
                });
    }

    /**
     * Adds the number as the API's: an entry that came from a STOP reply becomes the API's too, so a later START does
     * not lift what the organization decided. A reason given replaces the stored one.
     */
    Uni<Added> add(UUID organizationId, String number, String reason) {
        return pool.preparedQuery("""
                insert into do_not_contact (organization_id, number, source, reason, created_at)
                values ($1, $2, 'api', $3, now())
                on conflict (organization_id, number) do update
                   set source = 'api', reason = coalesce(excluded.reason, do_not_contact.reason)
                returning\s""" + COLUMNS + ", (xmax = 0) as created")
                .execute(Tuple.of(organizationId, number, reason))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Added(view(row), row.getBoolean("created"));
                });
    }

    /** Whether there was an entry to remove. */
    Uni<Boolean> delete(UUID organizationId, String number) {
        return pool.preparedQuery("delete from do_not_contact where organization_id = $1 and number = $2")
                .execute(Tuple.of(organizationId, number))
                .map(rows -> rows.rowCount() > 0);
    }

    private static DoNotContactView view(Row row) {
        return new DoNotContactView(row.getString("number"), row.getString("source"), row.getString("reason"),
                row.getOffsetDateTime("created_at").toInstant());
    }
}
