package io.switchboard.crypto;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements of {@code secret_key_reader}. An announcement and a re-seal are serialized by one advisory lock
 * (announcements take it alone, re-seals shared), so a replica that announced before a re-seal's check is seen by it,
 * and one that announces later finds the values already re-sealed from its first read on.
 */
@ApplicationScoped
public class KeyReaderRepository {

    /** The advisory lock of key rotation: an arbitrary constant no other lock of the service uses. */
    static final long LOCK = 0x5ec7e7_0001L;

    private static final String COLUMNS = "instance_id, readable_key_ids, current_key_id";

    private final Pool pool;

    public KeyReaderRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Announces (or refreshes) one replica's keys, and forgets replicas gone for ten timeouts; then returns every
     * live replica, this one included.
     */
    Uni<List<ReplicaKeys.Replica>> announce(ReplicaKeys.Replica self, Duration timeout) {
        return pool.withTransaction(db -> db.preparedQuery("select pg_advisory_xact_lock($1)")
                .execute(Tuple.of(LOCK))
                .chain(() -> db.preparedQuery("""
                        insert into secret_key_reader (instance_id, readable_key_ids, current_key_id)
                        values ($1, $2, $3)
                        on conflict (instance_id) do update
                           set readable_key_ids = excluded.readable_key_ids,
                               current_key_id = excluded.current_key_id, last_seen = now()""")
                        .execute(Tuple.of(self.instanceId(), self.readable().toArray(String[]::new),
                                self.current())))
                .chain(() -> db.preparedQuery(
                        "delete from secret_key_reader where last_seen < now() - $1 * interval '1 millisecond'")
                        .execute(Tuple.of(timeout.toMillis() * 10))))
                .chain(() -> live(pool, timeout));
    }

    /** Every replica heard from within the timeout. */
    Uni<List<ReplicaKeys.Replica>> live(SqlClient db, Duration timeout) {
        return db.preparedQuery("select " + COLUMNS + " from secret_key_reader"
                + " where last_seen > now() - $1 * interval '1 millisecond' order by instance_id")
                .execute(Tuple.of(timeout.toMillis())).map(KeyReaderRepository::replicas);
    }

    /**
     * In the caller's transaction, and holding the rotation lock until it ends: the live replicas that cannot read
     * {@code keyId} or write under another key. None means values may be re-sealed under it now.
     */
    Uni<List<ReplicaKeys.Replica>> lockAndFindBlockers(SqlClient db, String keyId, Duration timeout) {
        return db.preparedQuery("select pg_advisory_xact_lock_shared($1)").execute(Tuple.of(LOCK))
                .chain(() -> db.preparedQuery("select " + COLUMNS + " from secret_key_reader"
                        + " where last_seen > now() - $1 * interval '1 millisecond'"
                        + " and (not ($2 = any (readable_key_ids)) or current_key_id <> $2) order by instance_id")
                        .execute(Tuple.of(timeout.toMillis(), keyId)))
                .map(KeyReaderRepository::replicas);
    }

    /** A replica that stops says so, rather than counting as live until its timeout. */
    Uni<Void> withdraw(String instanceId) {
        return pool.preparedQuery("delete from secret_key_reader where instance_id = $1")
                .execute(Tuple.of(instanceId)).replaceWithVoid();
    }

    private static List<ReplicaKeys.Replica> replicas(RowSet<Row> rows) {
        var all = new ArrayList<ReplicaKeys.Replica>(rows.size());
        rows.forEach(row -> all.add(new ReplicaKeys.Replica(row.getString("instance_id"),
                List.of(row.getArrayOfStrings("readable_key_ids")), row.getString("current_key_id"))));
        return all;
    }
}
