package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.webhook.CallbackEventRepository;
import io.switchboard.webhook.EventView;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Reads of messages, their events and opt-outs for one organization, in plain SQL on the reactive client. Every
 * query takes the organization as its first parameter and filters on it.
 */
@ApplicationScoped
public class MessageRepository {

    private final Pool pool;
    private final CallbackEventRepository events;

    public MessageRepository(Pool pool, CallbackEventRepository events) {
        this.pool = pool;
        this.events = events;
    }

    public Uni<MessageView> find(UUID organizationId, UUID id) {
        return pool.preparedQuery("select " + MessageView.COLUMNS
                + " from message where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.iterator().hasNext() ? MessageView.of(rows.iterator().next()) : null);
    }

    /** What a message list keeps, each null for any: a direction, either party's number, a status, a time range. */
    record Filter(String direction, String number, String status, OffsetDateTime after, OffsetDateTime before) {
    }

    /**
     * The organization's messages matching the filter, in the page's order, keyset-paged on (created_at, id). The
     * index message_organization (organization_id, created_at, id) serves both orders (read backwards for desc) and
     * the time range; a number is found through message_organization_from and _to (V25), one for each party.
     */
    public Uni<ListResponse<MessageView>> list(UUID organizationId, Filter filter, PageRequest page) {
        var sql = new StringBuilder("select " + MessageView.COLUMNS + " from message where organization_id = $1");
        var params = new ArrayList<Object>(List.of(organizationId));
        if (filter.direction() != null) {
            params.add(filter.direction());
            sql.append(" and direction = $").append(params.size());
        }
        if (filter.number() != null) {
            params.add(filter.number());
            sql.append(" and (from_number = $").append(params.size()).append(" or to_number = $")
                    .append(params.size()).append(')');
        }
        if (filter.status() != null) {
            params.add(filter.status());
            sql.append(" and status = $").append(params.size());
        }
        if (filter.after() != null) {
            params.add(filter.after());
            sql.append(" and created_at >= $").append(params.size());
        }
        if (filter.before() != null) {
            params.add(filter.before());
            sql.append(" and created_at < $").append(params.size());
        }
        page.appendKeysetOrderAndLimit(sql, params);
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params))
                .map(rows -> {
                    var messages = new ArrayList<MessageView>();
                    rows.forEach(row -> messages.add(MessageView.of(row)));
                    return page.toResponse(messages, MessageView::createdAt, MessageView::id);
                });
    }

    /** Every event stored for the message, oldest first; null when the message is not the organization's. */
    public Uni<List<EventView>> events(UUID organizationId, UUID messageId) {
        return events.listFor(CallbackEventRepository.Owner.MESSAGE, organizationId, messageId);
    }

    /**
     * Opt-outs ordered by number, keyset-paged on it (the cursor is the last number, encoded): the whole do-not-contact
     * list, which the opt-outs became part of.
     */
    public Uni<ListResponse<OptOutView>> optOuts(UUID organizationId, int limit, String afterNumber) {
        return pool.preparedQuery("""
                select number, created_at from do_not_contact
                 where organization_id = $1 and ($2::text is null or number > $2::text)
                 order by number limit $3""")
                .execute(Tuple.of(organizationId, afterNumber, limit + 1))
                .map(rows -> {
                    var items = new ArrayList<OptOutView>();
                    rows.forEach(row -> items.add(new OptOutView(row.getString("number"),
                            row.getOffsetDateTime("created_at").toInstant())));
                    if (items.size() <= limit) {
                        return new ListResponse<>(items, null);
                    }
                    var page = List.copyOf(items.subList(0, limit));
                    String last = page.get(limit - 1).number();
                    return new ListResponse<>(page, Base64.getUrlEncoder().withoutPadding()
                            .encodeToString(last.getBytes(StandardCharsets.UTF_8)));
                });
    }

    /** Whether there was an opt-out to remove. */
    public Uni<Boolean> deleteOptOut(UUID organizationId, String number) {
        return pool.preparedQuery("delete from do_not_contact where organization_id = $1 and number = $2")
                .execute(Tuple.of(organizationId, number))
                .map(rows -> rows.rowCount() > 0);
    }
}
