package io.switchboard.event;

import io.smallrye.mutiny.Uni;
import io.switchboard.db.GroupCommit;
import io.switchboard.db.GroupCommits;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * The delivery statements, across organizations (background work): the claim any replica makes with
 * {@code for update skip locked}, the outcome of each attempt, giving up, and pruning.
 */
@ApplicationScoped
class DeliveryRepository {

    /** One claimed attempt: the delivery, its subscription's receiver and sealed secrets, and the event. */
    record Claimed(UUID deliveryId, int attempt, Instant firstAttemptAt, UUID subscriptionId, String url,
            String secretEnc, String previousSecretEnc, long position, EventView event) {
    }

    /** What an attempt came to. */
    record Outcome(String status, Integer responseCode, int latencyMs, String error) {

        static final String DELIVERED = "delivered";
        static final String FAILED = "failed";
        static final String ERROR = "error";

        boolean delivered() {
            return DELIVERED.equals(status);
        }
    }

    /*
     * Due: pending, its time come, not leased (or its lease run out: the replica that held it died), its subscription
     * not paused, and no earlier event of the same resource still pending for the same subscription: a later event
     * of a call waits while an earlier one is retrying or in flight. Each subscription gets at most $1 attempts in
     * flight, counting those other claims hold. The lock re-checks the lease, so two replicas never claim one row.
     * $1 per subscription, $2 limit, $3 lease in seconds.
     */
    private static final String CLAIM = """
            with inflight as (
                select subscription_id, count(*) as n from event_delivery
                 where state = 'pending' and leased_until > now() group by subscription_id
            ), candidates as (
                select d.id, d.subscription_id, d.event_position, d.next_attempt_at
                  from event_delivery d
                 where d.state = 'pending' and d.next_attempt_at <= now()
                   and (d.leased_until is null or d.leased_until <= now())
                   and not exists (select 1 from event_subscription s
                                    where s.id = d.subscription_id and s.paused_at is not null)
                   and not exists (select 1 from event_delivery p
                                    where p.subscription_id = d.subscription_id and p.ordering_key = d.ordering_key
                                      and p.state = 'pending' and p.event_position < d.event_position)
                 order by d.next_attempt_at, d.event_position
                 limit $2 * 4
            ), ranked as (
                select c.id, coalesce(i.n, 0)
                             + row_number() over (partition by c.subscription_id
                                                  order by c.next_attempt_at, c.event_position) as slot
                  from candidates c left join inflight i on i.subscription_id = c.subscription_id
            ), locked as (
                select d.id from event_delivery d
                 where d.id in (select id from ranked where slot <= $1)
                   and d.state = 'pending' and (d.leased_until is null or d.leased_until <= now())
                 limit $2
                   for update of d skip locked
            )
            update event_delivery d
               set leased_until = now() + make_interval(secs => $3), attempts = d.attempts + 1,
                   first_attempt_at = coalesce(d.first_attempt_at, now())
              from locked l, event e, event_subscription s
             where d.id = l.id and e.position = d.event_position and s.id = d.subscription_id
            returning d.id as delivery_id, d.attempts, d.first_attempt_at, s.id as subscription_id, s.url,
                      s.secret_enc,
                      case when s.previous_secret_expires_at > now() then s.previous_secret_enc end
                          as previous_secret_enc,
                      e.id, e.type, e.occurred_at, e.organization_id, e.resource_type, e.resource_id, e.sequence,
                      e.data, e.position""";

    private static final String ATTEMPT = """
            insert into event_delivery_attempt (delivery_id, subscription_id, attempt, attempted_at, outcome,
                                                response_code, latency_ms, error)
            values ($1::uuid, $2::uuid, $3::int, now() - make_interval(secs => $6::int / 1000.0), $4::text, $5::int,
                    $6::int, $7::text)""";

    private static final String DELIVERED = "with a as (" + ATTEMPT + """
            )
            update event_delivery set state = 'delivered', delivered_at = now(), leased_until = null
             where id = $1::uuid and attempts = $3::int and state = 'pending'""";

    private static final String RETRY = "with a as (" + ATTEMPT + """
            )
            update event_delivery set leased_until = null, next_attempt_at = $8::timestamptz
             where id = $1::uuid and attempts = $3::int and state = 'pending'""";

    private final Pool pool;
    /** Outcomes that end together are stored in one round trip and one commit. */
    private final GroupCommit delivered;
    private final GroupCommit retried;

    DeliveryRepository(Pool pool, GroupCommits groups) {
        this.pool = pool;
        this.delivered = groups.open("event-delivered", DELIVERED, 200, 2);
        this.retried = groups.open("event-retried", RETRY, 200, 2);
    }

    /** Claims due deliveries, ordered by due time; each claimed row's attempt counted and leased. */
    Uni<List<Claimed>> claim(int perSubscription, int limit, Duration lease) {
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(perSubscription, limit, lease.toMillis() / 1000.0))
                .map(rows -> {
                    var claimed = new ArrayList<Claimed>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("delivery_id"), row.getInteger("attempts"),
                                row.getOffsetDateTime("first_attempt_at").toInstant(), row.getUUID("subscription_id"),
                                row.getString("url"), row.getString("secret_enc"), row.getString("previous_secret_enc"),
                                row.getLong("position"), EventRepository.view(row)));
                    }
                    // Oldest first, so a replica starts the earliest events first.
                    claimed.sort(Comparator.comparingLong(Claimed::position));
                    return claimed;
                });
    }

    /** Delivered: the row is done. Fenced by the attempt, so an answer after the lease ran out changes nothing. */
    Uni<Void> delivered(Claimed c, Outcome outcome) {
        return delivered.execute(attempt(c, outcome)).replaceWithVoid();
    }

    /** Failed, tried again at {@code next}. */
    Uni<Void> retry(Claimed c, Outcome outcome, Instant next) {
        return retried.execute(attempt(c, outcome).addValue(next.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    /**
     * Failed for longer than the give-up window: the delivery is marked failed, its subscription paused, and a
     * {@code subscription.paused} event recorded, in one transaction. Whether this call paused it.
     */
    Uni<Boolean> giveUp(Claimed c, Outcome outcome) {
        return pool.withTransaction(db -> db.preparedQuery("with a as (" + ATTEMPT + """
                ), d as (
                    update event_delivery set state = 'failed', leased_until = null
                     where id = $1::uuid and attempts = $3::int and state = 'pending'
                    returning subscription_id
                )
                update event_subscription s set paused_at = now(), paused_reason = 'failing', updated_at = now()
                  from d where s.id = d.subscription_id and s.paused_at is null
                returning s.organization_id""")
                .execute(attempt(c, outcome))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    UUID organization = rows.iterator().next().getUUID("organization_id");
                    return db.preparedQuery("""
                            select record_event($1, 'subscription.paused', 'subscription', $2::uuid, now(),
                                   jsonb_build_object('subscriptionId', $2::uuid, 'reason', 'failing',
                                                      'eventId', $3::uuid))""")
                            .execute(Tuple.of(organization, c.subscriptionId(), c.event().id()))
                            .replaceWith(true);
                }));
    }

    /**
     * Deletes up to {@code limit} events older than the retention whose deliveries are all over, with their
     * deliveries and attempts; how many.
     */
    Uni<Integer> prune(Duration retention, int limit) {
        return pool.preparedQuery("""
                delete from event where position in (
                    select e.position from event e
                     where e.occurred_at < now() - make_interval(secs => $1)
                       and not exists (select 1 from event_delivery d
                                        where d.event_position = e.position and d.state = 'pending')
                     limit $2)""")
                .execute(Tuple.of(retention.toSeconds() * 1.0, limit))
                .map(rows -> rows.rowCount());
    }

    /** Deliveries pending for subscriptions not paused, and how old the oldest of their events is. */
    record Backlog(long pending, double oldestSeconds) {
    }

    /**
     * The backlog the gauges show. A paused subscription's deliveries wait on purpose and are left out; a
     * subscription that is failing (retrying, not yet paused) is in it, which is what an operator wants to see grow.
     */
    Uni<Backlog> backlog() {
        return pool.preparedQuery("""
                select count(*) as pending,
                       coalesce(extract(epoch from now() - min(e.occurred_at)), 0)::float8 as oldest
                  from event_delivery d
                  join event_subscription s on s.id = d.subscription_id and s.paused_at is null
                  join event e on e.position = d.event_position
                 where d.state = 'pending'""")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Backlog(row.getLong("pending"), Math.max(0, row.getDouble("oldest")));
                });
    }

    private static Tuple attempt(Claimed c, Outcome outcome) {
        // Text ids: grouped statements are ordered by their first parameter as text (GroupCommit.BY_SID).
        return Tuple.from(Arrays.asList(c.deliveryId().toString(), c.subscriptionId().toString(), c.attempt(),
                outcome.status(),
                outcome.responseCode(), outcome.latencyMs(), outcome.error()));
    }
}
