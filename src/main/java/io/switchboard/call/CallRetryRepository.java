package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.outbound.DispatchState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Retries by outcome: the next attempt at a target whose call ended with an outcome its batch retries, as a call row
 * of its own waiting for the dispatcher.
 */
@ApplicationScoped
class CallRetryRepository {

    /*
     * $1 the ended call, $2 its sid as the callback names it, $3 the account that signed the callback, $4 the id of the
     * new attempt, $5 the providers whose tokens signed it. The ended call is read as stored, so only the status (and
     * AnsweredBy) the call table accepted counts. A canceled batch retries nothing; a paused one's retry waits (the
     * claim holds it). The unique (target_id, attempt) makes this a no-op for every callback after the first, on any
     * replica.
     */
    private static final String SCHEDULE = DispatchState.inline("""
            insert into call (id, organization_id, batch_id, direction, from_number, to_number, agent_id,
                              phone_number_id, status, created_at, updated_at, account_sid, provider_id,
                              dispatch_state, next_attempt_at, parameters, time_zones, target_id, attempt)
            select $4::uuid, c.organization_id, c.batch_id, 'outbound', c.from_number, c.to_number, c.agent_id,
                   c.phone_number_id, 'queued', now(), now(), c.account_sid, c.provider_id, {waiting},
                   now() + b.retry_after_seconds * interval '1 second', c.parameters, c.time_zones, c.target_id,
                   c.attempt + 1
              from call c
              join outbound_batch b on b.id = c.batch_id and b.organization_id = c.organization_id
             where c.id = $1 and c.sid = $2 and c.account_sid = $3 and c.direction = 'outbound'
               and ($5::uuid[] is null or c.provider_id is null or c.provider_id = any($5::uuid[]))
               and c.target_id is not null and b.canceled_at is null and b.retry_on is not null
               and c.attempt < b.retry_max_attempts
               and (c.status = any(b.retry_on)
                    or (c.status = 'completed' and 'machine' = any(b.retry_on) and c.answered_by like 'machine%'))
            on conflict (target_id, attempt) where target_id is not null do nothing
            returning attempt""");

    private final Pool pool;

    CallRetryRepository(Pool pool) {
        this.pool = pool;
    }

    /** Schedules the next attempt after the call {@code callId} ended; the attempt's number, or null when none is due. */
    Uni<Integer> scheduleAfter(UUID callId, String sid, String accountSid, UUID[] signedBy) {
        return pool.preparedQuery(SCHEDULE)
                .execute(Tuple.from(new Object[] { callId, sid, accountSid, UUID.randomUUID(), signedBy }))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getInteger("attempt") : null);
    }
}
