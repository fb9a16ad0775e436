package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The organization's events ({@code event}) and the attempts to deliver them ({@code event_delivery_attempt}), as the
 * API reads them; every statement carries the caller's organization. Events are written by the database function
 * {@code record_event} (V21), called by the triggers on the changed tables and by {@link #ping}.
 */
@ApplicationScoped
class EventRepository {

    /** A position in the replay list: the writing transaction, then the event's position. */
    record Position(String txid, long position) {

        String cursor() {
            return PageRequest.encodeCursor(txid + ":" + position);
        }

        /** @throws io.switchboard.common.ApiException a 400 naming {@code cursor} when it is not one this API wrote */
        static Position of(String cursor) {
            String decoded = PageRequest.decodeCursor(cursor);
            int sep = decoded.indexOf(':');
            try {
                long txid = Long.parseLong(decoded.substring(0, sep));
                long position = Long.parseLong(decoded.substring(sep + 1));
                if (txid >= 0 && position > 0) {
                    return new Position(Long.toString(txid), position);
                }
            } catch (RuntimeException e) {
                // Not a position this API wrote: refused below.
            }
            throw PageRequest.badCursor();
        }
    }

    static final String EVENT_COLUMNS = """
            e.id, e.type, e.occurred_at, e.organization_id, e.resource_type, e.resource_id, e.sequence, e.data,
            e.txid::text as txid, e.position""";

    private final Pool pool;

    EventRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Ordered by writing transaction and position, and only the events of transactions older than every transaction
     * still running: an event committed later can then never land behind a cursor already handed out.
     */
    Uni<ListResponse<EventView>> list(UUID organizationId, String type, Position after, int limit) {
        return pool.preparedQuery("select " + EVENT_COLUMNS + """
                 from event e
                where e.organization_id = $1 and ($2::text is null or e.type = $2::text)
                  and ($3::text is null or (e.txid, e.position) > ($3::text::xid8, $4::bigint))
                  and e.txid < pg_snapshot_xmin(pg_current_snapshot())
                order by e.txid, e.position limit $5""")
                .execute(Tuple.from(Arrays.asList(organizationId, type, after == null ? null : after.txid(),
                        after == null ? null : after.position(), limit + 1)))
                .map(rows -> {
                    var items = new ArrayList<EventView>();
                    Position last = null;
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new ListResponse<>(List.copyOf(items), last.cursor());
                        }
                        items.add(view(row));
                        last = new Position(row.getString("txid"), row.getLong("position"));
                    }
                    return new ListResponse<>(List.copyOf(items), null);
                });
    }

    /** The position of one of the organization's events, for {@code ?after=}. */
    Uni<Optional<Position>> positionOf(UUID organizationId, UUID eventId) {
        return pool
                .preparedQuery("select txid::text as txid, position from event where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, eventId))
                .map(rows -> rows.rowCount() == 0 ? Optional.empty()
                        : Optional.of(new Position(rows.iterator().next().getString("txid"),
                                rows.iterator().next().getLong("position"))));
    }

    /** A {@code ping} for one subscription alone. */
    Uni<UUID> ping(UUID organizationId, UUID subscriptionId) {
        return pool.preparedQuery("""
                select record_event($1, 'ping', 'subscription', $2::uuid, now(),
                                    jsonb_build_object('subscriptionId', $2::uuid), $2::uuid) as id""")
                .execute(Tuple.of(organizationId, subscriptionId))
                .map(rows -> rows.iterator().next().getUUID("id"));
    }

    /**
     * Delivers the event again to every subscription that takes its type now, and to those it was delivered to: each
     * delivery pending again, due now, with a new give-up window. How many deliveries; empty when it is not the
     * organization's event.
     */
    Uni<Optional<Integer>> redeliver(UUID organizationId, UUID eventId) {
        return pool.withTransaction(db -> db.preparedQuery("""
                with ev as (
                    select position, type, resource_id from event where organization_id = $1 and id = $2
                ), added as (
                    insert into event_delivery (event_position, subscription_id, ordering_key)
                    select ev.position, s.id, ev.resource_id
                      from ev join event_subscription s on s.organization_id = $1
                     where s.events @> array['*'] or s.events @> array[ev.type]
                    on conflict (event_position, subscription_id) do nothing
                    returning id
                ), again as (
                    update event_delivery d
                       set state = 'pending', next_attempt_at = now(), first_attempt_at = null, leased_until = null
                      from ev
                     where d.event_position = ev.position and d.state <> 'pending'
                    returning d.id
                )
                select (select count(*) from ev) as found,
                       (select count(*) from added) + (select count(*) from again)
                       + (select count(*) from event_delivery d, ev
                           where d.event_position = ev.position and d.state = 'pending') as deliveries""")
                .execute(Tuple.of(organizationId, eventId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getLong("found") == 0 ? Optional.<Integer>empty()
                            : Optional.of(row.getLong("deliveries").intValue());
                }));
    }

    /** The subscription's attempts, newest first, keyset-paged on the attempt. */
    Uni<ListResponse<DeliveryAttemptView>> attempts(UUID organizationId, UUID subscriptionId, Long before, int limit) {
        return pool.preparedQuery("""
                select a.id, e.id as event_id, e.type, a.attempt, a.attempted_at, a.outcome, a.response_code,
                       a.latency_ms, a.error, d.state
                  from event_delivery_attempt a
                  join event_delivery d on d.id = a.delivery_id
                  join event e on e.position = d.event_position
                 where a.subscription_id = $2 and e.organization_id = $1 and ($3::bigint is null or a.id < $3::bigint)
                 order by a.id desc limit $4""")
                .execute(Tuple.from(Arrays.asList(organizationId, subscriptionId, before, limit + 1)))
                .map(rows -> {
                    var items = new ArrayList<DeliveryAttemptView>();
                    long last = 0;
                    for (Row row : rows) {
                        if (items.size() == limit) {
                            return new ListResponse<>(List.copyOf(items),
                                    PageRequest.encodeCursor(Long.toString(last)));
                        }
                        items.add(new DeliveryAttemptView(row.getUUID("event_id"), row.getString("type"),
                                row.getInteger("attempt"), row.getOffsetDateTime("attempted_at").toInstant(),
                                row.getString("outcome"), row.getInteger("response_code"),
                                row.getInteger("latency_ms"), row.getString("error"), row.getString("state")));
                        last = row.getLong("id");
                    }
                    return new ListResponse<>(List.copyOf(items), null);
                });
    }

    static EventView view(Row row) {
        JsonObject data = (JsonObject) row.getValue("data");
        Map<String, Object> map = data == null ? Map.of() : data.getMap();
        return new EventView(row.getUUID("id"), row.getString("type"), row.getOffsetDateTime("occurred_at").toInstant(),
                row.getUUID("organization_id"), row.getString("resource_type"), row.getUUID("resource_id"),
                row.getInteger("sequence"), map);
    }
}
