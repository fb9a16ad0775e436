package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of the dispatch state machine, for any kind's table: claim, recheck of expired leases and ambiguous
 * sends, back-off, and the ways a row ends. Each row write is guarded (the row has no sid yet, or is in the state it
 * expects), so an outcome that comes too late changes nothing.
 */
@ApplicationScoped
public class DispatchRepository {

    /** A table's statements, written once. */
    private record Statements(String claim, String recheck, String release, String backOff, String ambiguous,
            String recheckLater, String resend, String cancel, String fail, String withhold) {

        static Statements of(DispatchTable t) {
            String keyStart = Integer.toString(t.paceKeyPrefix().length() + 1);
            String claimed = t.claimedColumns().isEmpty() ? "" : ", " + t.claimedColumns();
            String attempted = t.timesAttempts() ? ", attempted_at = picked.slot" : "";
            String ended = t.timesEnd() ? ", ended_at = now()" : "";
            String endedIfWithdrawn = t.timesEnd()
                    ? ", ended_at = case when {withdrawn} then now() else t.ended_at end" : "";
            Map<String, String> names = Map.of("{table}", t.name(), "{key_prefix}", t.paceKeyPrefix(),
                    "{key_start}", keyStart, "{key_column}", t.paceKeyColumn(), "{cost}", t.paceCost(),
                    "{rate}", "(" + t.paceRate() + ")", "{provider}", ProviderCredentials.JOINED_COLUMNS);
            return new Statements(
                    sql(CLAIM.replace("{claimed}", claimed).replace("{attempted}", attempted)
                            .replace("{ended}", ended), names, t),
                    sql(RECHECK, names, t),
                    sql(RELEASE.replace("{ended_if_withdrawn}", endedIfWithdrawn), names, t),
                    sql(BACK_OFF.replace("{ended_if_withdrawn}", endedIfWithdrawn), names, t),
                    sql(AMBIGUOUS, names, t),
                    sql(RECHECK_LATER, names, t),
                    sql(RESEND.replace("{ended_if_withdrawn}", endedIfWithdrawn), names, t),
                    sql(CANCEL.replace("{ended}", ended), names, t),
                    sql(FAIL.replace("{ended}", ended), names, t),
                    sql(WITHHOLD.replace("{ended}", ended), names, t));
        }

        private static String sql(String template, Map<String, String> names, DispatchTable t) {
            String statement = template.replace("{withdrawn}", "(" + t.withdrawn() + ")")
                    .replace("{held}", "(" + t.held() + ")");
            for (var name : names.entrySet()) {
                statement = statement.replace(name.getKey(), name.getValue());
            }
            return DispatchState.inline(statement);
        }
    }

    /*
     * $1 default pace (intervals per second), $2 pace keys per tick and rows per key, $3 lease (ms), $4 how far ahead
     * slots are claimed (ms), $5 the pace margin (a fraction).
     *
     * A pace row's next_at is the start of its next free slot. A claim takes, for each pace key whose next slot
     * starts within $4, its oldest due rows, one slot each (cost intervals long, laid end to end from
     * greatest(next_at, now())), as many as start within $4, and moves next_at to the end of the last one. Slots come
     * from the schedule, not from when a claim happened to run, so no tick or round trip delays the pace; an idle key
     * starts again from now and never sends a burst for the time it was idle. The pace row and the rows stay locked
     * until the claim commits, so replicas never share a slot or a row. send_in_ms is the wait until the row's slot.
     * A withdrawn row (its batch canceled since it was queued or sent again) is ended canceled, never claimed. A held
     * row (its batch paused, its calling window closed) is passed over and takes no slot, and a key with only held
     * rows due is not taken (it would use up a place in $2).
     *
     * slot_key_allowed, on every row of a key: the pace intervals the key allowed from when its last slot ended (or its
     * oldest due row became due, if later) to the end of the new slots, for DispatchMetrics' pace used against pace
     * allowed. Time the key's schedule fell behind counts, up to $4 per claim: a longer gap is a batch that was held
     * (paused, outside its window, whose rows keep their old next_attempt_at) or a dispatcher that did not run, which
     * are not pace the dispatcher lost.
     */
    private static final String CLAIM = """
            with pace as (
                select p.key, substr(p.key, {key_start}) as key_value, greatest(p.next_at, now()) as base,
                       p.next_at as previous_end
                  from outbound_pace p
                 where p.key like '{key_prefix}%' and p.next_at <= now() + $4 * interval '1 millisecond'
                   and exists (select 1 from {table} t
                                where t.dispatch_state = {waiting} and t.{key_column} = substr(p.key, {key_start})
                                  and t.next_attempt_at <= now() and not {held})
                 order by p.next_at
                 limit $2
                   for update skip locked
            ), due as (
                select w.*, pace.key, pace.base, pace.previous_end
                  from pace cross join lateral (
                      select t.id, t.next_attempt_at, t.created_at, {cost} as cost, cast({rate} as float8) as rate,
                             {withdrawn} as withdrawn
                        from {table} t
                       where t.dispatch_state = {waiting} and t.{key_column} = pace.key_value
                         and t.next_attempt_at <= now() and not {held}
                       order by t.next_attempt_at, t.created_at
                       limit $2
                         for update skip locked) w
            ), slotted as (
                select d.id, d.key, d.base, d.previous_end,
                       min(d.next_attempt_at) over (partition by d.key) as due_since,
                       coalesce(min(d.rate) over (partition by d.key), $1::float8) as per_second,
                       1000.0 / (coalesce(min(d.rate) over (partition by d.key), $1::float8) * (1 - $5::float8))
                           as interval_ms,
                       sum(d.cost) over (partition by d.key order by d.next_attempt_at, d.created_at, d.id)
                           as cost_to_end,
                       d.cost
                  from due d
                 where not d.withdrawn
            ), picked as (
                select s.id, s.key, s.cost, s.previous_end, s.due_since, s.per_second,
                       s.base + (s.cost_to_end - s.cost) * s.interval_ms * interval '1 millisecond' as slot,
                       s.base + s.cost_to_end * s.interval_ms * interval '1 millisecond' as slot_end
                  from slotted s
                 where s.base + (s.cost_to_end - s.cost) * s.interval_ms * interval '1 millisecond'
                       <= now() + $4 * interval '1 millisecond'
            ), claimed as (
                update {table} t set dispatch_state = {placing},
                       claimed_until = picked.slot + $3 * interval '1 millisecond',
                       attempts = t.attempts + 1{attempted}, updated_at = now()
                  from picked
                 where t.id = picked.id
                returning t.*{claimed}, picked.slot as pace_slot, picked.key as slot_key, picked.cost as slot_cost
            ), allowed as (
                select key, per_second * greatest(0, extract(epoch from max(slot_end) - greatest(min(previous_end),
                           min(due_since), now() - $4 * interval '1 millisecond'))) as intervals
                  from picked
                 group by key, per_second
            ), dropped as (
                update {table} t set status = 'canceled', dispatch_state = {done}{ended}, updated_at = now()
                  from due
                 where t.id = due.id and due.withdrawn
            ), paced as (
                update outbound_pace p set next_at = e.slot_end
                  from (select key, max(slot_end) as slot_end from picked group by key) e
                 where p.key = e.key
            )
            select cl.*, greatest(0, ceil(extract(epoch from cl.pace_slot - clock_timestamp()) * 1000))::bigint
                       as send_in_ms, al.intervals::float8 as slot_key_allowed, {provider}
              from claimed cl
              join allowed al on al.key = cl.slot_key
              left join provider pr on pr.id = cl.provider_id
             order by cl.pace_slot""";

    /* $1 rows, $2 lease (ms), $3 grace (ms). Ambiguous rows that are due, and placing rows whose lease ran out. */
    private static final String RECHECK = """
            with due as (
                select id from {table}
                 where dispatch_state in ({placing}, {ambiguous}) and next_attempt_at <= now()
                   and (claimed_until is null or claimed_until < now())
                 order by next_attempt_at
                 limit $1
                   for update skip locked
            ), claimed as (
                update {table} t set dispatch_state = {ambiguous}, ambiguous_at = coalesce(t.ambiguous_at, now()),
                       claimed_until = now() + $2 * interval '1 millisecond', updated_at = now()
                  from due
                 where t.id = due.id
                returning t.*, {withdrawn} as withdrawn
            )
            select cl.*, now() - cl.ambiguous_at >= $3 * interval '1 millisecond' as grace_over, {provider}
              from claimed cl
              left join provider pr on pr.id = cl.provider_id""";

    /*
     * Every write below is fenced: it names the attempt it is the outcome of ($2), and the state that attempt left the
     * row in. An outcome that arrives after the row moved on (its lease ran out and it was reconciled, sent again, or
     * ended) matches nothing, however late the client's answer comes.
     */

    /* $1 id, $2 attempt. A claim never sent (its slot passed): waiting again, the attempt not counted. */
    private static final String RELEASE = """
            update {table} t set dispatch_state = case when {withdrawn} then {done} else {waiting} end,
                   status = case when {withdrawn} then 'canceled' else t.status end{ended_if_withdrawn},
                   attempts = t.attempts - 1, next_attempt_at = now(), claimed_until = null, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state = {placing} and t.sid is null""";

    /* $1 id, $2 attempt, $3 wait (ms), $4 error. A send withdrawn while it was being made is not made later. */
    private static final String BACK_OFF = """
            update {table} t set dispatch_state = case when {withdrawn} then {done} else {waiting} end,
                   status = case when {withdrawn} then 'canceled' else t.status end{ended_if_withdrawn},
                   next_attempt_at = now() + $3 * interval '1 millisecond', claimed_until = null,
                   dispatch_error = $4, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state = {placing} and t.sid is null""";

    /* $1 id, $2 attempt, $3 until the first recheck (ms), $4 error. */
    private static final String AMBIGUOUS = """
            update {table} t set dispatch_state = {ambiguous}, ambiguous_at = coalesce(t.ambiguous_at, now()),
                   next_attempt_at = now() + $3 * interval '1 millisecond', claimed_until = null,
                   dispatch_error = $4, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state = {placing}""";

    /* $1 id, $2 attempt, $3 until the next recheck (ms). */
    private static final String RECHECK_LATER = """
            update {table} t set next_attempt_at = now() + $3 * interval '1 millisecond', claimed_until = null,
                   updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state = {ambiguous}""";

    /*
     * $1 id, $2 attempt, $3 resends before. Whether the send is withdrawn is read here, in the write, not from the
     * recheck before the search: a batch canceled meanwhile ends the row canceled instead of queueing it again.
     */
    private static final String RESEND = """
            update {table} t set dispatch_state = case when {withdrawn} then {done} else {waiting} end,
                   status = case when {withdrawn} then 'canceled' else t.status end{ended_if_withdrawn},
                   resends = t.resends + 1, ambiguous_at = null,
                   next_attempt_at = now(), claimed_until = null, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.resends = $3 and t.dispatch_state = {ambiguous}
               and t.sid is null""";

    /* $1 id, $2 attempt. */
    private static final String CANCEL = """
            update {table} t set status = 'canceled', dispatch_state = {done}, claimed_until = null{ended},
                   updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state in ({placing}, {ambiguous}) and t.sid is null""";

    /* $1 id, $2 attempt, $3 Twilio's error code or null, $4 error, $5 Twilio's message of the code or null. */
    private static final String FAIL = """
            update {table} t set status = 'failed', error_code = $3, error_message = $5, dispatch_state = {done},
                   claimed_until = null, dispatch_error = $4{ended}, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state in ({placing}, {ambiguous}) and t.sid is null""";

    /* $1 id, $2 attempt, $3 reason. Only the attempt that claimed the row ends it so. */
    private static final String WITHHOLD = """
            update {table} t set status = 'canceled', dispatch_state = {done}, claimed_until = null,
                   skip_reason = $3{ended}, updated_at = now()
             where t.id = $1 and t.attempts = $2 and t.dispatch_state = {placing} and t.sid is null""";

    private final Pool pool;
    private final Map<DispatchTable, Statements> statements = new ConcurrentHashMap<>();

    public DispatchRepository(Pool pool) {
        this.pool = pool;
    }

    /** Creates the pace row of {@code key} (an account, a sender) unless it exists, in the caller's transaction. */
    public Uni<Void> ensurePace(SqlClient db, DispatchTable table, String key) {
        return db.preparedQuery("insert into outbound_pace (key, next_at) values ($1, now()) on conflict do nothing")
                .execute(Tuple.of(table.paceKey(key))).replaceWithVoid();
    }

    /**
     * Moves the rows whose pace slot starts within {@code ahead}, laid end to end per pace key, from waiting to placing
     * under a lease that runs from the slot, and moves each key's pace past its last slot; each claimed row comes with
     * {@code pace_slot} and {@code send_in_ms}, the wait until its slot, in the order of the slots.
     *
     * @param perSecond the pace of a key whose rows name no pace of their own ({@link DispatchTable#paceRate()})
     * @param margin the fraction of the pace left unused, so that a send a little late never takes a one-second
     *     window over the pace
     */
    Uni<RowSet<Row>> claim(SqlClient db, DispatchTable table, double perSecond, int keys, Duration lease,
            Duration ahead, double margin) {
        return db.preparedQuery(statements(table).claim())
                .execute(Tuple.from(new Object[] { perSecond, keys, lease.toMillis(), ahead.toMillis(), margin }));
    }

    /**
     * Takes, under a lease, due ambiguous rows and placing rows whose lease ran out (their replica died mid-create),
     * all now ambiguous; each comes with {@code grace_over} and {@code withdrawn}.
     */
    Uni<RowSet<Row>> recheck(SqlClient db, DispatchTable table, int rows, Duration lease, Duration grace) {
        return db.preparedQuery(statements(table).recheck())
                .execute(Tuple.of(rows, lease.toMillis(), grace.toMillis()));
    }

    /** A claimed row not sent after all (its slot passed while it waited), back to waiting and due now. */
    Uni<Void> release(DispatchTable table, UUID id, int attempt) {
        return update(statements(table).release(), Tuple.of(id, attempt));
    }

    /** Back to waiting for another attempt after {@code wait}; a withdrawn row ends canceled instead. */
    Uni<Void> backOff(DispatchTable table, UUID id, int attempt, Duration wait, String error) {
        return update(statements(table).backOff(), Tuple.of(id, attempt, wait.toMillis(), error));
    }

    /** A placing row whose create may have happened: rechecked after {@code recheck}, never sent again blindly. */
    Uni<Void> markAmbiguous(DispatchTable table, UUID id, int attempt, Duration recheck, String error) {
        return update(statements(table).ambiguous(), Tuple.of(id, attempt, recheck.toMillis(), error));
    }

    Uni<Void> recheckLater(DispatchTable table, UUID id, int attempt, Duration recheck) {
        return update(statements(table).recheckLater(), Tuple.of(id, attempt, recheck.toMillis()));
    }

    /**
     * An ambiguous row found nowhere for the whole grace period, back to waiting, counted in {@code resends}; ends
     * canceled instead when its send is withdrawn by now.
     */
    Uni<Void> resend(DispatchTable table, UUID id, int attempt, int resends) {
        return update(statements(table).resend(), Tuple.of(id, attempt, resends));
    }

    /** Ends a row that was never created canceled. */
    Uni<Void> cancel(DispatchTable table, UUID id, int attempt) {
        return update(statements(table).cancel(), Tuple.of(id, attempt));
    }

    /** Ends a row that was never created failed, on {@code db} (the pool, or a kind's transaction). */
    Uni<Void> fail(SqlClient db, DispatchTable table, UUID id, int attempt, Integer code, String error) {
        return fail(db, table, id, attempt, code, error, null);
    }

    /** The same, with what Twilio said about its refusal ({@code error_message}, shown on the row). */
    Uni<Void> fail(SqlClient db, DispatchTable table, UUID id, int attempt, Integer code, String error,
            String errorMessage) {
        return db.preparedQuery(statements(table).fail())
                .execute(Tuple.of(id, attempt, code, error, errorMessage))
                .replaceWithVoid();
    }

    /** Ends a claimed row that was never sent canceled, with the reason it was withheld. */
    Uni<Void> withhold(DispatchTable table, UUID id, int attempt, String reason) {
        return update(statements(table).withhold(), Tuple.of(id, attempt, reason));
    }

    private Uni<Void> update(String statement, Tuple args) {
        return pool.preparedQuery(statement).execute(args).replaceWithVoid();
    }

    private Statements statements(DispatchTable table) {
        return statements.computeIfAbsent(table, Statements::of);
    }
}
