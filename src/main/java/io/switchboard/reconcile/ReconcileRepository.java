package io.switchboard.reconcile;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The statements of reconciliation, for any kind's table: the claim of stale rows under a lease, and their release
 * with the time of the next check. {@code reconcile_after} is both: a claim sets it a lease ahead, so no other replica
 * takes the row while it is being fetched, and a release sets it to when the row may be asked about again.
 */
@ApplicationScoped
public class ReconcileRepository {

    /** A table's statements, written once. */
    private record Statements(String claim, String release) {

        static Statements of(ReconcileTable t) {
            String stale = STALE.replace("{unfinished}", t.unfinished());
            String preferred = t.preferredProvider() == null ? "null::uuid" : t.preferredProvider();
            return new Statements(
                    CLAIM.replace("{stale}", stale).replace("{preferred}", preferred)
                            .replace("{provider}", ProviderCredentials.JOINED_COLUMNS).replace("{table}", t.name()),
                    RELEASE.replace("{table}", t.name()));
        }
    }

    /*
     * $3 age (ms). A row with a sid (one without is the dispatcher's), an account, an unfinished status, no event for
     * the age, and neither claimed nor checked lately.
     */
    private static final String STALE = """
            t.sid is not null and t.account_sid is not null and ({unfinished})
                    and t.updated_at <= now() - $3 * interval '1 millisecond'
                    and (t.reconcile_after is null or t.reconcile_after <= now())""";

    /*
     * $1 rows, $2 rows per account, $3 age (ms), $4 lease (ms). The accounts whose stalest row is oldest first, and
     * of each its stalest rows; rows another replica is claiming are skipped, and those it claimed are leased. The
     * row's provider is the one it went through, else one of its organization with its account.
     */
    private static final String CLAIM = """
            with due as (
                select t.account_sid, min(t.updated_at) as oldest
                  from {table} t
                 where {stale}
                 group by t.account_sid
                 order by oldest
                 limit $1
            ), picked as (
                select r.id
                  from due cross join lateral (
                      select t.id from {table} t
                       where t.account_sid = due.account_sid and {stale}
                       order by t.updated_at
                       limit $2
                         for update skip locked) r
                 limit $1
            ), claimed as (
                update {table} t set reconcile_after = now() + $4 * interval '1 millisecond'
                  from picked
                 where t.id = picked.id
                returning t.*
            )
            select t.id, t.sid, t.status, t.account_sid, {provider}
              from claimed t
              left join lateral (
                  select p.* from provider p
                   where p.organization_id = t.organization_id and p.account_sid = t.account_sid
                   order by p.id = {preferred} desc nulls last, p.created_at
                   limit 1) pr on true""";

    /* $1 id, $2 age (ms). After as long as the row has been quiet, and at least the age: the waits double. */
    private static final String RELEASE = """
            update {table} t
               set reconcile_after = now() + greatest($2 * interval '1 millisecond', now() - t.updated_at)
             where t.id = $1""";

    private final Pool pool;
    private final Map<ReconcileTable, Statements> statements = new ConcurrentHashMap<>();

    public ReconcileRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Leases at most {@code rows} stale rows, at most {@code perAccount} of one account; each comes with
     * {@code id}, {@code sid}, {@code status}, {@code account_sid} and the provider's
     * {@link ProviderCredentials#JOINED_COLUMNS} (null when the account has no provider any more).
     */
    Uni<RowSet<Row>> claim(ReconcileTable table, int rows, int perAccount, Duration age, Duration lease) {
        return pool.preparedQuery(statements(table).claim())
                .execute(Tuple.of(rows, perAccount, age.toMillis(), lease.toMillis()));
    }

    /** Ends the row's lease: it is checked again after as long as it has been quiet, at least {@code age}. */
    Uni<Void> release(ReconcileTable table, UUID id, Duration age) {
        return pool.preparedQuery(statements(table).release()).execute(Tuple.of(id, age.toMillis()))
                .replaceWithVoid();
    }

    private Statements statements(ReconcileTable table) {
        return statements.computeIfAbsent(table, Statements::of);
    }
}
