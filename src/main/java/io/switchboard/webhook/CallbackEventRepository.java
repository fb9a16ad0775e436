package io.switchboard.webhook;

import io.smallrye.mutiny.Uni;
import io.switchboard.db.JsonColumns;
import io.switchboard.tenant.OrganizationContents;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Reads the callbacks stored for a call or a message, the record of all communications, for one organization: calls
 * and messages both list their events here. The rows are written by each feature's event repository.
 */
@ApplicationScoped
public class CallbackEventRepository implements OrganizationContents {

    /** The tables whose rows have events: the name is the table and the events' {@code resource_type}. */
    public enum Owner {
        CALL("call"), MESSAGE("message");

        private final String table;

        Owner(String table) {
            this.table = table;
        }
    }

    /**
     * The head of every statement that stores a callback event, the columns in the order its values follow. Each
     * statement stores its event once, by the dedupe key ({@code on conflict (dedupe_key) do nothing}), and goes on
     * only when the event is new, so a redelivered callback changes nothing.
     */
    public static final String INSERT = """
            insert into communication_event (organization_id, resource_type, sid, type, status, sequence_number,
                                             received_at, params, dedupe_key)""";

    private final Pool pool;
    private final JsonColumns json;

    public CallbackEventRepository(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    /** Callback events hold nothing that must be deleted elsewhere first. */
    @Override
    public Uni<Map<String, Long>> remaining(SqlClient db, UUID organizationId) {
        return Uni.createFrom().item(Map.of());
    }

    /**
     * The organization's callback events, which have no foreign key to it (an event may arrive before its call is
     * known): found through the sids of its calls and messages, which the events' sid index serves, before those go.
     */
    @Override
    public Uni<Void> deleteUnlinked(SqlClient db, UUID organizationId) {
        return db.preparedQuery("""
                delete from communication_event
                 where organization_id = $1
                   and sid in (select sid from call where organization_id = $1 and sid is not null
                               union all
                               select sid from message where organization_id = $1 and sid is not null)""")
                .execute(Tuple.of(organizationId)).replaceWithVoid();
    }

    /**
     * Every event stored for one call or message of the organization, oldest first; null when the organization has no
     * such row. One query: the row is left-joined to its events, so a row without events still answers.
     */
    public Uni<List<EventView>> listFor(Owner owner, UUID organizationId, UUID id) {
        return pool.preparedQuery("""
                select e.type, e.status, e.sequence_number, e.received_at, e.params
                  from %1$s r
                  left join communication_event e
                    on e.sid = r.sid and e.resource_type = '%1$s' and e.organization_id = r.organization_id
                 where r.organization_id = $1 and r.id = $2
                 order by e.id""".formatted(owner.table))
                .execute(Tuple.of(organizationId, id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return null;
                    }
                    var events = new ArrayList<EventView>(rows.size());
                    for (Row row : rows) {
                        if (row.getString("type") != null) {
                            events.add(view(row));
                        }
                    }
                    return events;
                });
    }

    private EventView view(Row row) {
        return new EventView(row.getString("type"), row.getString("status"), row.getInteger("sequence_number"),
                row.getOffsetDateTime("received_at").toInstant(),
                json.readJsonb(row.getValue("params"), JsonColumns.STRING_LISTS));
    }
}
