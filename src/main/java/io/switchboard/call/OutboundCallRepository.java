package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.message.DoNotContactRepository;
import io.switchboard.outbound.DispatchState;
import io.switchboard.outbound.DispatchTable;
import io.switchboard.provider.ProviderPace;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The writes of outbound calls: batches stored and canceled for {@code POST /v1/calls} (on the connection of the
 * caller's transaction, scoped to the organization), and the outcomes of placing them.
 */
@ApplicationScoped
class OutboundCallRepository {

    /**
     * Calls are paced per Twilio account, at the provider's calls per second when it sets them. The claim brings the
     * agent's recording setting, the batch's answering machine detection, and whether the call may still be placed:
     * its recipient not on the do-not-contact list, its agent and its caller-ID number not deleted. A call of a
     * canceled batch is withdrawn, and one of a paused batch is held, as is one whose calling window is closed in any
     * of its time zones (the most restrictive of them wins: a number that may be in several zones is called only when
     * the window is open in all of them).
     */
    static final DispatchTable DISPATCH = DispatchTable.of("call", "call:", "account_sid")
            .withPaceRate(ProviderPace.callsPerSecond("t.provider_id"))
            .withClaimedColumns("""
                    (select a.recording from agent a where a.id = t.agent_id) as recording,
                    (select b.machine_detection from outbound_batch b where b.id = t.batch_id) as machine_detection,
                    %s as do_not_contact,
                    not exists (select 1 from agent a where a.id = t.agent_id) as agent_gone,
                    not exists (select 1 from phone_number n
                                 where n.id = t.phone_number_id and n.organization_id = t.organization_id)
                        as caller_id_gone""".formatted(DoNotContactRepository.LISTED))
            .withdrawnWhen("""
                    exists (select 1 from outbound_batch b where b.id = t.batch_id and b.canceled_at is not null)""")
            .heldWhen("""
                    exists (select 1 from outbound_batch b
                             where b.id = t.batch_id
                               and (b.paused_at is not null
                                    or (b.window_start is not null and exists (
                                        select 1 from unnest(t.time_zones) z(name)
                                         cross join lateral (select now() at time zone z.name as at) l
                                         where not (l.at::time >= b.window_start and l.at::time < b.window_end
                                                    and extract(isodow from l.at)::int = any(b.window_days))))))""")
            .timingAttempts()
            .timingEnds();

    /** Where a batch stands for a pause or a resume, read under the batch row's lock. */
    record BatchState(boolean canceled, boolean paused, long unsent) {
    }

    /** An imported number a call can come from, with the account it belongs to. */
    record CallerId(UUID numberId, String number, UUID providerId, String accountSid) {
    }

    // Each call's caller ID comes in arrays ($3 number, $5 its id, $7 its account, $8 its provider): one for the
    // batch, or one per target with from "auto".
    private static final String INSERT_CALLS = DispatchState
            .inline("""
                    insert into call (id, organization_id, batch_id, direction, from_number, to_number, agent_id,
                                      phone_number_id, status, created_at, updated_at, account_sid, provider_id,
                                      dispatch_state, next_attempt_at, parameters, time_zones, target_id, attempt)
                    select u.id, $1, $2, 'outbound', u.from_number, u.to_number, $4, u.phone_number_id, 'queued',
                           $6::timestamptz + u.n * interval '1 microsecond', $6, u.account_sid, u.provider_id, {waiting}, $6,
                           u.parameters::jsonb, string_to_array(u.zones, ' '), u.id, 1
                      from unnest($9::uuid[], $10::text[], $11::text[], $12::text[], $3::text[], $5::uuid[], $7::text[],
                                  $8::uuid[]) with ordinality
                           as u(id, to_number, parameters, zones, from_number, phone_number_id, account_sid, provider_id, n)""");

    // A call being placed right now is locked by its claim: this update waits for it, then sees it is no longer
    // waiting and leaves it alone.
    private static final String CANCEL_BATCH = DispatchState.inline("""
            with b as (
                update outbound_batch set canceled_at = coalesce(canceled_at, now())
                 where id = $1 and organization_id = $2
                returning id
            ), c as (
                update call set status = 'canceled', dispatch_state = {done}, ended_at = now(), updated_at = now()
                 where batch_id in (select id from b) and organization_id = $2
                   and dispatch_state = {waiting} and sid is null
                returning 1
            )
            select (select count(*) from b) as found, (select count(*) from c) as canceled""");

    private static final String LOCK_BATCH = DispatchState.inline("""
            select b.canceled_at is not null as canceled, b.paused_at is not null as paused,
                   (select count(*) from call c
                     where c.batch_id = b.id and c.organization_id = b.organization_id
                       and c.dispatch_state <> {done}) as unsent
              from outbound_batch b
             where b.id = $1 and b.organization_id = $2
               for update""");

    // The calls due now are parked at 'infinity', so the claim's index scan never meets them while the batch is
    // paused; the held condition of the claim is what keeps them (and any call backed off meanwhile) from being placed.
    private static final String PAUSE_BATCH = DispatchState.inline("""
            with b as (
                update outbound_batch set paused_at = coalesce(paused_at, now())
                 where id = $1 and organization_id = $2
                returning id
            )
            update call set next_attempt_at = 'infinity', updated_at = now()
             where batch_id in (select id from b) and organization_id = $2
               and dispatch_state = {waiting} and next_attempt_at <= now()""");

    private static final String RESUME_BATCH = DispatchState.inline("""
            with b as (
                update outbound_batch set paused_at = null
                 where id = $1 and organization_id = $2
                returning id
            )
            update call set next_attempt_at = now(), updated_at = now()
             where batch_id in (select id from b) and organization_id = $2
               and dispatch_state = {waiting} and next_attempt_at = 'infinity'""");

    private static final String PLACED = DispatchState.inline("""
            update call set sid = coalesce(sid, $2),
                   status = case when status = 'queued' then 'initiated' else status end,
                   dispatch_state = {done}, claimed_until = null, dispatch_error = null, updated_at = now()
             where id = $1""");

    private static final String ADOPT = DispatchState.inline("""
            update call c set sid = x.sid,
                   status = case when c.status = 'queued' then 'initiated' else c.status end,
                   dispatch_state = {done}, claimed_until = null, updated_at = now()
              from (select s.sid from unnest($2::text[]) with ordinality as s(sid, n)
                     where not exists (select 1 from call k where k.sid = s.sid)
                     order by s.n desc limit 1) x
             where c.id = $1 and c.sid is null
            returning c.sid""");

    private final Pool pool;

    OutboundCallRepository(Pool pool) {
        this.pool = pool;
    }

    Uni<Boolean> agentExists(SqlClient db, UUID organizationId, UUID agentId) {
        return db.preparedQuery("select 1 from agent where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, agentId))
                .map(rows -> rows.size() > 0);
    }

    /** The number {@code from}, or with none given the agent's oldest number; null when there is none. */
    Uni<CallerId> findCallerId(SqlClient db, UUID organizationId, UUID agentId, String from) {
        return db.preparedQuery("""
                select n.id, n.number, n.provider_id, p.account_sid
                  from phone_number n join provider p on p.id = n.provider_id
                 where n.organization_id = $1
                   and (($2::text is not null and n.number = $2::text) or ($2::text is null and n.agent_id = $3))
                 order by n.created_at, n.id limit 1""")
                .execute(Tuple.of(organizationId, from, agentId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new CallerId(row.getUUID("id"), row.getString("number"), row.getUUID("provider_id"),
                            row.getString("account_sid"));
                });
    }

    /** The organization's numbers assigned to the agent, oldest first. */
    Uni<List<CallerId>> findAgentNumbers(SqlClient db, UUID organizationId, UUID agentId) {
        return db.preparedQuery("""
                select n.id, n.number, n.provider_id, p.account_sid
                  from phone_number n join provider p on p.id = n.provider_id
                 where n.organization_id = $1 and n.agent_id = $2
                 order by n.created_at, n.id""")
                .execute(Tuple.of(organizationId, agentId))
                .map(rows -> {
                    var found = new ArrayList<CallerId>();
                    rows.forEach(row -> found.add(new CallerId(row.getUUID("id"), row.getString("number"),
                            row.getUUID("provider_id"), row.getString("account_sid"))));
                    return found;
                });
    }

    /**
     * The batch and all its calls in two statements whatever its size: the calls go in as arrays (their stream
     * parameters as JSON text, null for none; their time zones separated by spaces, null without a window), each the
     * first attempt at its target, from {@code from} or, with {@code perCall}, each from its own caller ID (the batch
     * row keeps {@code from}). Creation times step by a microsecond so the calls list, and are placed, in the order of the targets.
     */
    Uni<Void> insertBatch(SqlClient db, UUID organizationId, UUID batchId, UUID agentId, CallerId from,
            CallerId[] perCall, UUID[] ids, String[] targets, String[] parameters, CallingWindow window, String[] zones,
            CallRetry retry,
            String machineDetection, CallBatchRequest.Voicemail voicemail, OffsetDateTime now) {
        var batch = db.preparedQuery(
                """
                        insert into outbound_batch (id, organization_id, agent_id, phone_number_id, size, created_at,
                                                    window_start, window_end, window_days, retry_on, retry_max_attempts,
                                                    retry_after_seconds, machine_detection, voicemail_say,
                                                    voicemail_play)
                        values ($1, $2, $3, $4, $5, $6, $7::text::time, $8::text::time, $9::integer[], $10::text[], $11, $12,
                                $13, $14, $15)""")
                .execute(Tuple.from(new Object[] {
                    batchId, organizationId, agentId, from.numberId(), ids.length, now,
                    window == null ? null : window.start(), window == null ? null : window.end(),
                    window == null ? null : window.isoDays(),
                    retry == null ? null : retry.on().toArray(String[]::new),
                    retry == null ? null : retry.maxAttempts(), retry == null ? null : retry.afterSeconds(),
                    machineDetection, voicemail == null ? null : voicemail.say(),
                    voicemail == null ? null : voicemail.play()
                }));
        var numbers = new String[ids.length];
        var numberIds = new UUID[ids.length];
        var accounts = new String[ids.length];
        var providers = new UUID[ids.length];
        for (int i = 0; i < ids.length; i++) {
            CallerId own = perCall == null ? from : perCall[i];
            numbers[i] = own.number();
            numberIds[i] = own.numberId();
            accounts[i] = own.accountSid();
            providers[i] = own.providerId();
        }
        var calls = db.preparedQuery(INSERT_CALLS)
                .execute(Tuple.from(new Object[] {
                    organizationId, batchId, numbers, agentId, numberIds, now, accounts, providers, ids, targets,
                    parameters, zones
                }));
        return batch.chain(() -> calls).replaceWithVoid();
    }

    /** Marks the batch canceled and cancels its calls not yet handed to Twilio; null when it is not the caller's. */
    Uni<Long> cancelBatch(SqlClient db, UUID organizationId, UUID batchId) {
        return db.preparedQuery(CANCEL_BATCH)
                .execute(Tuple.of(batchId, organizationId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getLong("found") == 0 ? null : row.getLong("canceled");
                });
    }

    /**
     * Those of the zones PostgreSQL knows: its time zone data may differ from Java's, and a zone it does not know
     * would make every claim of the account fail. (pg_timezone_names reads the zone files: once per batch, not per
     * claim.)
     */
    Uni<Set<String>> knownZones(SqlClient db, String[] zones) {
        return db.preparedQuery("select name from pg_timezone_names where name = any($1::text[])")
                .execute(Tuple.of((Object) zones))
                .map(rows -> {
                    var known = new HashSet<String>();
                    rows.forEach(row -> known.add(row.getString("name")));
                    return known;
                });
    }

    /** Locks the batch row (a cancel waits for it) and says where the batch stands; null when it is not the caller's. */
    Uni<BatchState> lockBatch(SqlClient db, UUID organizationId, UUID batchId) {
        return db.preparedQuery(LOCK_BATCH).execute(Tuple.of(batchId, organizationId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new BatchState(row.getBoolean("canceled"), row.getBoolean("paused"), row.getLong("unsent"));
                });
    }

    /** Marks the batch paused (kept from the first pause) and parks its calls due now. */
    Uni<Void> pauseBatch(SqlClient db, UUID organizationId, UUID batchId) {
        return db.preparedQuery(PAUSE_BATCH).execute(Tuple.of(batchId, organizationId)).replaceWithVoid();
    }

    /** Lifts the pause: the parked calls are due at once, in the order of their targets. */
    Uni<Void> resumeBatch(SqlClient db, UUID organizationId, UUID batchId) {
        return db.preparedQuery(RESUME_BATCH).execute(Tuple.of(batchId, organizationId)).replaceWithVoid();
    }

    /** Twilio placed the call as {@code sid}: the call is done, and at least initiated. */
    Uni<Void> placed(UUID id, String sid) {
        return pool.preparedQuery(PLACED).execute(Tuple.of(id, sid)).replaceWithVoid();
    }

    /** Attaches the oldest listed sid that no row owns; null when there is none. */
    Uni<String> adopt(UUID id, List<String> sids) {
        if (sids.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery(ADOPT).execute(Tuple.of(id, sids.toArray(String[]::new)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("sid") : null);
    }
}
