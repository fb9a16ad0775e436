package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.db.JsonColumns;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.webhook.CallbackEventRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The calls that control requests act on, read with the credentials of the provider that handles each (the one an
 * outbound call was placed through, or the one whose number an inbound call came to), and the events those requests
 * add to a call. Every query is scoped to the caller's organization: another organization's call reads as absent.
 */
@ApplicationScoped
class LiveCallRepository {

    /** A control request's event types on a call, beside the callbacks' ({@code voice-status}, {@code recording}). */
    static final String HANGUP = "hangup";
    static final String RECORDING_CONTROL = "recording-control";
    static final String MESSAGE = "message";

    private static final String SELECT = """
            select c.id, c.sid, c.direction, c.from_number, c.to_number, c.status, {provider}
              from call c
              left join provider pr on pr.id = coalesce(c.provider_id, (select n.provider_id from phone_number n
                                                                       where n.id = c.phone_number_id))
                                  and pr.organization_id = c.organization_id
             where c.organization_id = $1 and """.replace("{provider}", ProviderCredentials.JOINED_COLUMNS);

    private final Pool pool;
    private final ProviderCredentials credentials;
    private final JsonColumns json;

    LiveCallRepository(Pool pool, ProviderCredentials credentials, JsonColumns json) {
        this.pool = pool;
        this.credentials = credentials;
        this.json = json;
    }

    /** Null when the organization has no call with this id. */
    Uni<LiveCall> find(UUID organizationId, UUID id) {
        return pool.preparedQuery(SELECT + " c.id = $2").execute(Tuple.of(organizationId, id)).map(this::first);
    }

    /** Null when the organization has no call with this Twilio CallSid. */
    Uni<LiveCall> findBySid(UUID organizationId, String sid) {
        return pool.preparedQuery(SELECT + " c.sid = $2").execute(Tuple.of(organizationId, sid)).map(this::first);
    }

    /**
     * Records what a control request did as an event of the call, shown among its callbacks; each one is its own row
     * (a dedupe key of its own), since two requests to pause are two events.
     */
    Uni<Void> addEvent(UUID organizationId, String sid, String type, String status, Map<String, String> params) {
        var lists = new TreeMap<String, List<String>>();
        params.forEach((name, value) -> {
            if (value != null) {
                lists.put(name, List.of(value));
            }
        });
        return pool.preparedQuery(CallbackEventRepository.INSERT + """

                values ($1, 'call', $2, $3, $4, null, now(), $5::text::jsonb, $6)""")
                .execute(Tuple.from(new Object[] {
                    organizationId, sid, type, status, json.write(lists),
                    "switchboard|" + type + "|" + UUID.randomUUID()
                }))
                .replaceWithVoid();
    }

    private LiveCall first(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new LiveCall(row.getUUID("id"), row.getString("sid"), row.getString("direction"),
                row.getString("from_number"), row.getString("to_number"), row.getString("status"),
                credentials.fromJoinedRow(row));
    }
}
