package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ListResponse;
import io.switchboard.webhook.CallbackEventRepository;
import io.switchboard.webhook.EventView;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
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
