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
    private record Statements(String claim, String recheck, String backOff, String ambiguous, String recheckLater,
            String resend, String cancel, String fail, String withhold) {

        static Statements of(DispatchTable t) {
            String keyStart = Integer.toString(t.paceKeyPrefix().length() + 1);
            String claimed = t.claimedColumns().isEmpty() ? "" : ", " + t.claimedColumns();
            String attempted = t.timesAttempts() ? ", attempted_at = now()" : "";
            String ended = t.timesEnd() ? ", ended_at = now()" : "";
            String endedIfWithdrawn = t.timesEnd()
                    ? ", ended_at = case when {withdrawn} then now() else t.ended_at end" : "";
            Map<String, String> names = Map.of("{table}", t.name(), "{key_prefix}", t.paceKeyPrefix(),
                    "{key_start}", keyStart, "{key_column}", t.paceKeyColumn(), "{cost}", t.paceCost(),
                    "{provider}", ProviderCredentials.JOINED_COLUMNS);
            return new Statements(
                    sql(CLAIM.replace("{claimed}", claimed).replace("{attempted}", attempted), names, t),
                    sql(RECHECK, names, t),
                    sql(BACK_OFF.replace("{ended_if_withdrawn}", endedIfWithdrawn), names, t),
                    sql(AMBIGUOUS, names, t),
                    sql(RECHECK_LATER, names, t),
                    sql(RESEND, names, t),
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
     * $1 pace interval (ms), $2 pace keys per tick, $3 lease (ms). The oldest due row of each due pace key, at most one
     * per key: the pace row and the claimed row stay locked until the claim commits, so replicas never share one. A
     * held row is passed over, and a key with only held rows due is not taken (it would use up a place in $2).
     */
    private static final String CLAIM = """
            with pace as (
                select p.key, substr(p.key, {key_start}) as key_value
                  from outbound_pace p
                 where p.key like '{key_prefix}%' and p.next_at <= now()
                   and exists (select 1 from {table} t
                                where t.dispatch_state = {waiting} and t.{key_column} = substr(p.key, {key_start})
                                  and t.next_attempt_at <= now() and not {held})
                 order by p.next_at
                 limit $2
                   for update skip locked
            ), picked as (
                select w.id, w.cost, pace.key
                  from pace cross join lateral (
                      select t.id, {cost} as cost from {table} t
                       where t.dispatch_state = {waiting} and t.{key_column} = pace.key_value
                         and t.next_attempt_at <= now() and not {held}
                       order by t.next_attempt_at, t.created_at
                       limit 1
                         for update skip locked) w
            ), claimed as (
                update {table} t set dispatch_state = {placing}, claimed_until = now() + $3 * interval '1 millisecond',
                       attempts = t.attempts + 1{attempted}, updated_at = now()
                  from picked
                 where t.id = picked.id
                returning t.*{claimed}
            ), paced as (
                update outbound_pace p set next_at = now() + picked.cost * $1 * interval '1 millisecond'
                  from picked
                 where p.key = picked.key
            )
            select cl.*, {provider}
              from claimed cl
              left join provider pr on pr.id = cl.provider_id""";

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

    /* $1 id, $2 wait (ms), $3 error. A send withdrawn while it was being made is not made later. */
    private static final String BACK_OFF = """
            update {table} t set dispatch_state = case when {withdrawn} then {done} else {waiting} end,
                   status = case when {withdrawn} then 'canceled' else t.status end{ended_if_withdrawn},
                   next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                   dispatch_error = $3, updated_at = now()
             where t.id = $1 and t.sid is null""";

    /* $1 id, $2 until the first recheck (ms), $3 error. */
    private static final String AMBIGUOUS = """
            update {table} t set dispatch_state = {ambiguous}, ambiguous_at = coalesce(t.ambiguous_at, now()),
                   next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                   dispatch_error = $3, updated_at = now()
             where t.id = $1 and t.dispatch_state = {placing}""";

    /* $1 id, $2 until the next recheck (ms). */
    private static final String RECHECK_LATER = """
            update {table} t set next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                   updated_at = now()
             where t.id = $1 and t.dispatch_state = {ambiguous}""";

    /* $1 id. */
    private static final String RESEND = """
            update {table} t set dispatch_state = {waiting}, resends = t.resends + 1, ambiguous_at = null,
                   next_attempt_at = now(), claimed_until = null, updated_at = now()
             where t.id = $1 and t.sid is null""";

    /* $1 id. */
    private static final String CANCEL = """
            update {table} t set status = 'canceled', dispatch_state = {done}, claimed_until = null{ended},
                   updated_at = now()
             where t.id = $1 and t.sid is null""";

    /* $1 id, $2 Twilio's error code or null, $3 error. */
    private static final String FAIL = """
            update {table} t set status = 'failed', error_code = $2, dispatch_state = {done}, claimed_until = null,
                   dispatch_error = $3{ended}, updated_at = now()
             where t.id = $1 and t.sid is null""";

    /* $1 id, $2 reason. Only from the claim that withholds it. */
    private static final String WITHHOLD = """
            update {table} t set status = 'canceled', dispatch_state = {done}, claimed_until = null,
                   skip_reason = $2{ended}, updated_at = now()
             where t.id = $1 and t.dispatch_state = {placing} and t.sid is null""";

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

    /** Moves the rows due now, one per pace key, from waiting to placing under a lease, and moves their pace on. */
    Uni<RowSet<Row>> claim(SqlClient db, DispatchTable table, long paceMillis, int keys, Duration lease) {
        return db.preparedQuery(statements(table).claim())
                .execute(Tuple.of(paceMillis, keys, lease.toMillis()));
    }

    /**
     * Takes, under a lease, due ambiguous rows and placing rows whose lease ran out (their replica died mid-create),
     * all now ambiguous; each comes with {@code grace_over} and {@code withdrawn}.
     */
    Uni<RowSet<Row>> recheck(SqlClient db, DispatchTable table, int rows, Duration lease, Duration grace) {
        return db.preparedQuery(statements(table).recheck())
                .execute(Tuple.of(rows, lease.toMillis(), grace.toMillis()));
    }

    /** Back to waiting for another attempt after {@code wait}; a withdrawn row ends canceled instead. */
    Uni<Void> backOff(DispatchTable table, UUID id, Duration wait, String error) {
        return update(statements(table).backOff(), Tuple.of(id, wait.toMillis(), error));
    }

    /** A placing row whose create may have happened: rechecked after {@code recheck}, never sent again blindly. */
    Uni<Void> markAmbiguous(DispatchTable table, UUID id, Duration recheck, String error) {
        return update(statements(table).ambiguous(), Tuple.of(id, recheck.toMillis(), error));
    }

    Uni<Void> recheckLater(DispatchTable table, UUID id, Duration recheck) {
        return update(statements(table).recheckLater(), Tuple.of(id, recheck.toMillis()));
    }

    /** An ambiguous row found nowhere for the whole grace period, back to waiting; counted in {@code resends}. */
    Uni<Void> resend(DispatchTable table, UUID id) {
        return update(statements(table).resend(), Tuple.of(id));
    }

    /** Ends a row that was never created canceled. */
    Uni<Void> cancel(DispatchTable table, UUID id) {
        return update(statements(table).cancel(), Tuple.of(id));
    }

    /** Ends a row that was never created failed, on {@code db} (the pool, or a kind's transaction). */
    Uni<Void> fail(SqlClient db, DispatchTable table, UUID id, Integer code, String error) {
        return db.preparedQuery(statements(table).fail()).execute(Tuple.of(id, code, error)).replaceWithVoid();
    }

    /** Ends a claimed row that was never sent canceled, with the reason it was withheld. */
    Uni<Void> withhold(DispatchTable table, UUID id, String reason) {
        return update(statements(table).withhold(), Tuple.of(id, reason));
    }

    private Uni<Void> update(String statement, Tuple args) {
        return pool.preparedQuery(statement).execute(args).replaceWithVoid();
    }

    private Statements statements(DispatchTable table) {
        return statements.computeIfAbsent(table, Statements::of);
    }
}
