package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.PageRequest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The {@code event_subscription} table; every statement carries the caller's organization. */
@ApplicationScoped
class SubscriptionRepository {

    private static final String COLUMNS = """
            id, url, events, description, paused_at, paused_reason, created_at, updated_at,
            case when previous_secret_expires_at > now() then previous_secret_expires_at end
                as previous_secret_expires_at""";

    private final Pool pool;

    SubscriptionRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<SubscriptionView> insert(UUID organizationId, UUID id, String url, List<String> events, String description,
            String secretEnc) {
        return pool.preparedQuery("""
                insert into event_subscription (id, organization_id, url, events, description, secret_enc,
                                                created_at, updated_at)
                values ($1, $2, $3, $4, $5, $6, now(), now())
                returning\s""" + COLUMNS)
                .execute(Tuple.of(id, organizationId, url, events.toArray(String[]::new), description, secretEnc))
                .map(rows -> view(rows.iterator().next()));
    }

    Uni<List<SubscriptionView>> list(UUID organizationId, PageRequest page) {
        return pool.preparedQuery("select " + COLUMNS + """
                 from event_subscription
                where organization_id = $1
                  and ($2::timestamptz is null or (created_at, id) > ($2::timestamptz, $3::uuid))
                order by created_at, id limit $4""")
                .execute(Tuple.of(organizationId, at(page.afterCreatedAt()), page.afterId(), page.fetchSize()))
                .map(SubscriptionRepository::views);
    }

    Uni<Optional<SubscriptionView>> find(UUID organizationId, UUID id) {
        return pool
                .preparedQuery("select " + COLUMNS + " from event_subscription where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> views(rows).stream().findFirst());
    }

    /**
     * Applies a patch; a null argument keeps the column. Resuming a paused subscription makes its pending deliveries
     * due at once, each with a new give-up window.
     */
    Uni<Optional<SubscriptionView>> update(UUID organizationId, UUID id, String url, List<String> events,
            boolean setDescription, String description, Boolean paused) {
        return pool.withTransaction(db -> db.preparedQuery("""
                update event_subscription
                   set url = coalesce($3, url), events = coalesce($4, events),
                       description = case when $5 then $6 else description end,
                       paused_at = case when $7::boolean is null then paused_at
                                        when $7 then coalesce(paused_at, now()) else null end,
                       paused_reason = case when $7::boolean is null then paused_reason
                                            when $7 then coalesce(paused_reason, 'api') else null end,
                       updated_at = now()
                 where organization_id = $1 and id = $2
                returning\s""" + COLUMNS)
                .execute(Tuple.from(Arrays.asList(organizationId, id, url,
                        events == null ? null : events.toArray(String[]::new), setDescription, description, paused)))
                .call(rows -> Boolean.FALSE.equals(paused) && rows.rowCount() > 0
                        ? db.preparedQuery("""
                                update event_delivery set next_attempt_at = now(), first_attempt_at = null
                                 where subscription_id = $1 and state = 'pending'""").execute(Tuple.of(id))
                        : Uni.createFrom().voidItem())
                .map(rows -> views(rows).stream().findFirst()));
    }

    Uni<Boolean> delete(UUID organizationId, UUID id) {
        return pool.preparedQuery("delete from event_subscription where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, id))
                .map(rows -> rows.rowCount() > 0);
    }

    /** The current secret becomes the previous one until now + overlap; the new one signs from now on. */
    Uni<Optional<SubscriptionView>> rotate(UUID organizationId, UUID id, String newSecretEnc, Duration overlap) {
        return pool.preparedQuery("""
                update event_subscription
                   set previous_secret_enc = secret_enc, secret_enc = $3,
                       previous_secret_expires_at = now() + make_interval(secs => $4), updated_at = now()
                 where organization_id = $1 and id = $2
                returning\s""" + COLUMNS)
                .execute(Tuple.of(organizationId, id, newSecretEnc, overlap.toMillis() / 1000.0))
                .map(rows -> views(rows).stream().findFirst());
    }

    private static List<SubscriptionView> views(RowSet<Row> rows) {
        var out = new ArrayList<SubscriptionView>();
        rows.forEach(row -> out.add(view(row)));
        return out;
    }

    private static SubscriptionView view(Row row) {
        Instant pausedAt = instant(row.getOffsetDateTime("paused_at"));
        return new SubscriptionView(row.getUUID("id"), row.getString("url"),
                List.of(row.getArrayOfStrings("events")), row.getString("description"),
                pausedAt == null ? "active" : "paused", row.getString("paused_reason"), pausedAt,
                instant(row.getOffsetDateTime("previous_secret_expires_at")),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("updated_at")), null);
    }

    static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }
}
