package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.webhook.CallbackEventRepository;
import io.switchboard.webhook.EventView;
import io.switchboard.webhook.FormParams;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Reads of calls and their events for one organization. Plain SQL on the reactive client (the rows are written by
 * the callback path, not through Hibernate); every query takes the organization as its first parameter and filters
 * on it, so another organization's call reads as absent.
 */
@ApplicationScoped
public class CallRepository {

    private final Pool pool;
    private final CallbackEventRepository events;

    public CallRepository(Pool pool, CallbackEventRepository events) {
        this.pool = pool;
        this.events = events;
    }

    public Uni<CallView> find(UUID organizationId, UUID id) {
        return pool.preparedQuery("select " + CallView.COLUMNS + " from call where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.iterator().hasNext() ? CallView.of(rows.iterator().next()) : null);
    }

    /** Filters are optional (null: any); in the page's order, keyset-paged on (created_at, id). */
    public Uni<ListResponse<CallView>> list(UUID organizationId, UUID batchId, String status, String sid,
            PageRequest page) {
        var sql = new StringBuilder("select " + CallView.COLUMNS + " from call where organization_id = $1");
        var params = new ArrayList<Object>(List.of(organizationId));
        if (batchId != null) {
            params.add(batchId);
            sql.append(" and batch_id = $").append(params.size());
        }
        if (status != null) {
            params.add(status);
            sql.append(" and status = $").append(params.size());
        }
        if (sid != null) {
            params.add(sid);
            sql.append(" and sid = $").append(params.size());
        }
        // The index (organization_id, created_at, id) serves both orders.
        page.appendKeysetOrderAndLimit(sql, params);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
                .map(rows -> {
                    var calls = new ArrayList<CallView>();
                    rows.forEach(row -> calls.add(CallView.of(row)));
                    return page.toResponse(calls, CallView::createdAt, CallView::id);
                });
    }

    /**
     * Every event stored for the call, oldest first; null when the call is not the organization's. An inbound call's
     * {@code voice-inbound} event, kept on its row (see {@link CallEventRepository#INBOUND_BULK}), comes first: Twilio
     * asks for the call's TwiML before it sends any status callback of it.
     */
    public Uni<List<EventView>> events(UUID organizationId, UUID callId) {
        Uni<EventView> inbound = pool.preparedQuery("""
                select inbound_form, inbound_received_at from call where organization_id = $1 and id = $2""")
                .execute(Tuple.of(organizationId, callId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    String form = row.getString("inbound_form");
                    if (form == null) {
                        return null;
                    }
                    FormParams params = FormParams.parse(form);
                    return new EventView(InboundRecord.VOICE_INBOUND, params.get("CallStatus"), null,
                            row.getOffsetDateTime("inbound_received_at").toInstant(), params.asOrderedMap());
                });
        return inbound.chain(first -> events.listFor(CallbackEventRepository.Owner.CALL, organizationId, callId)
                .map(stored -> {
                    if (stored == null || first == null) {
                        return stored;
                    }
                    var all = new ArrayList<EventView>(stored.size() + 1);
                    all.add(first);
                    all.addAll(stored);
                    return all;
                }));
    }
}
