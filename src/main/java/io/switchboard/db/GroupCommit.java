package io.switchboard.db;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Runs one SQL statement for many callers, grouped: what arrives while earlier groups are in flight goes out together
 * as one {@code executeBatch} (one round trip, one commit). Under light load a statement goes out at once, so the
 * grouping adds no latency; under heavy load groups grow and commits per second stay low.
 * <p>
 * A group is one implicit transaction: if PostgreSQL refuses it (an error about the data, not a lost connection), each
 * statement of the group is retried alone, so one bad callback never fails its neighbours.
 * <p>
 * Groups in flight at the same time lock rows of the same resources (the callbacks of one call arrive together). Each
 * group is therefore sorted by the statement's first parameter, the sid, which every grouped statement locks by: all
 * groups take their locks in the same order and cannot deadlock (PostgreSQL would only break a deadlock after a
 * second, failing a whole group). The sort is stable, so one sid's callbacks keep their arrival order.
 * <p>
 * Every wait is bounded. At most {@code maxWaiting} callers wait behind the groups in flight; one more is refused at
 * once ({@link Saturated}), and its callback answered 503. A group lost with its connection (the database not
 * answering within the response timeout, see {@link DatabaseConnections}) fails everyone waiting behind it too: they
 * would wait as long again for the same database, and Twilio would have given up on them meanwhile.
 */
public final class GroupCommit {

    private record Pending(Tuple params, UniEmitter<? super RowSet<Row>> emitter, Context context) {
    }

    /** By sid ($1), the key every grouped statement locks rows by. */
    public static final Comparator<Tuple> BY_SID = Comparator.comparing(t -> t.getString(0),
            Comparator.nullsFirst(Comparator.naturalOrder()));
    private static final Comparator<Pending> LOCK_ORDER = Comparator.comparing(Pending::params, BY_SID);

    private final Pool pool;
    private final String sql;
    private final int maxGroup;
    private final int maxInFlight;
    private final int maxWaiting;
    private List<Pending> waiting = new ArrayList<>();
    private int inFlight;
    private long refused;

    /** Too many callers wait already: the database is not keeping up, or not answering. */
    public static final class Saturated extends RuntimeException {

        Saturated(int waiting) {
            super(waiting + " statements wait for the database already", null, false, false);
        }
    }

    /** Use {@link GroupCommits}, which takes the bound from configuration and reports it in metrics. */
    GroupCommit(Pool pool, String sql, int maxGroup, int maxInFlight, int maxWaiting) {
        this.pool = pool;
        this.sql = sql;
        this.maxGroup = maxGroup;
        this.maxInFlight = maxInFlight;
        this.maxWaiting = maxWaiting;
    }

    /**
     * The statement's result for these parameters, once committed, on the caller's Vert.x context; {@link Saturated}
     * at once when {@code maxWaiting} callers wait already.
     */
    public Uni<RowSet<Row>> execute(Tuple params) {
        return Uni.createFrom().emitter(emitter -> {
            boolean accepted;
            synchronized (this) {
                accepted = waiting.size() < maxWaiting;
                if (accepted) {
                    waiting.add(new Pending(params, emitter, Vertx.currentContext()));
                } else {
                    refused++;
                }
            }
            if (accepted) {
                flush();
            } else {
                emitter.fail(new Saturated(maxWaiting));
            }
        });
    }

    /** Callers waiting for a group to take them, now. */
    public synchronized int waiting() {
        return waiting.size();
    }

    /** Callers refused so far because {@code maxWaiting} waited already. */
    public synchronized long refused() {
        return refused;
    }

    private void flush() {
        List<Pending> group;
        synchronized (this) {
            if (waiting.isEmpty() || inFlight >= maxInFlight) {
                return;
            }
            inFlight++;
            if (waiting.size() <= maxGroup) {
                group = waiting;
                waiting = new ArrayList<>();
            } else {
                group = new ArrayList<>(waiting.subList(0, maxGroup));
                waiting = new ArrayList<>(waiting.subList(maxGroup, waiting.size()));
            }
        }
        lost(run(group)).subscribe().with(ignored -> done(), failure -> done());
    }

    private void done() {
        synchronized (this) {
            inFlight--;
        }
        flush();
    }

    private Uni<Void> run(List<Pending> group) {
        if (group.size() == 1) {
            Pending one = group.get(0);
            return pool.preparedQuery(sql).execute(one.params())
                    .invoke(rows -> complete(one, rows))
                    .onFailure().invoke(failure -> fail(one, failure))
                    .replaceWithVoid();
        }
        group.sort(LOCK_ORDER);
        var tuples = group.stream().map(Pending::params).toList();
        return pool.preparedQuery(sql).executeBatch(tuples)
                .invoke(rows -> {
                    RowSet<Row> current = rows;
                    for (Pending pending : group) {
                        complete(pending, current);
                        current = current == null ? null : current.next();
                    }
                })
                .replaceWithVoid()
                .onFailure(GroupCommit::isRefusedByDatabase).recoverWithUni(failure -> alone(group))
                .onFailure().invoke(failure -> group.forEach(pending -> fail(pending, failure)));
    }

    /** The group's connection is gone: those waiting behind it are failed with it, before another group goes out. */
    private Uni<Void> lost(Uni<Void> group) {
        return group.onFailure(failure -> !isRefusedByDatabase(failure)).invoke(failure -> {
            List<Pending> behind;
            synchronized (this) {
                behind = waiting;
                waiting = new ArrayList<>();
            }
            behind.forEach(pending -> fail(pending, failure));
        });
    }

    /** After a refused group: each statement on its own, one after another, so only the bad one fails. */
    private Uni<Void> alone(List<Pending> group) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Pending pending : group) {
            chain = chain.chain(() -> pool.preparedQuery(sql).execute(pending.params())
                    .invoke(rows -> complete(pending, rows))
                    .onFailure().invoke(failure -> fail(pending, failure))
                    .replaceWithVoid()
                    .onFailure().recoverWithNull());
        }
        return chain;
    }

    static boolean isRefusedByDatabase(Throwable failure) {
        return failure instanceof PgException;
    }

    private static void complete(Pending pending, RowSet<Row> rows) {
        onContext(pending, () -> pending.emitter().complete(rows));
    }

    private static void fail(Pending pending, Throwable failure) {
        onContext(pending, () -> pending.emitter().fail(failure));
    }

    /** The HTTP response of a request must be written from its own event loop. */
    private static void onContext(Pending pending, Runnable action) {
        if (pending.context() == null || pending.context() == Vertx.currentContext()) {
            action.run();
        } else {
            pending.context().runOnContext(v -> action.run());
        }
    }
}
