package io.switchboard.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** One stored Twilio callback as the API shows it: {@code params} holds every parameter, each with all its values. */
public record EventView(String type, String status, Integer sequenceNumber, Instant receivedAt,
        Map<String, List<String>> params) {

    /** The tables whose rows have events: the name is the table and the events' {@code resource_type}. */
    public enum Owner {
        CALL("call"), MESSAGE("message");

        private final String table;

        Owner(String table) {
            this.table = table;
        }
    }

    /**
     * Every event stored for one call or message of the organization, oldest first; null when the organization has no
     * such row. One query: the row is left-joined to its events, so a row without events still answers.
     */
    public static Uni<List<EventView>> listFor(Pool pool, Owner owner, UUID organizationId, UUID id) {
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
                            events.add(of(row));
                        }
                    }
                    return events;
                });
    }

    public static EventView of(Row row) {
        Object raw = row.getValue("params");
        JsonObject json = raw instanceof JsonObject object ? object : new JsonObject(String.valueOf(raw));
        var params = new LinkedHashMap<String, List<String>>();
        for (String name : json.fieldNames()) {
            Object value = json.getValue(name);
            var values = new ArrayList<String>();
            if (value instanceof JsonArray array) {
                array.forEach(v -> values.add(v == null ? null : String.valueOf(v)));
            } else if (value != null) {
                values.add(String.valueOf(value));
            }
            params.put(name, values);
        }
        return new EventView(row.getString("type"), row.getString("status"), row.getInteger("sequence_number"),
                row.getOffsetDateTime("received_at").toInstant(), params);
    }
}
