package io.switchboard.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.mutiny.helpers.test.UniAssertSubscriber;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.PreparedQuery;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a group is retried as when PostgreSQL refuses it, and what each waiting caller is given, against a pool that
 * holds every statement until the test answers it. One group in flight at a time: whatever arrives meanwhile waits
 * and goes out as the next group, and at most {@link #MAX_WAITING} callers wait.
 */
class GroupCommitTest {

    private static final PgException CHECK_VIOLATION = new PgException("new row violates check constraint", "ERROR",
            "23514", null);

    private static final int MAX_WAITING = 3;

    private final ScriptedPool db = new ScriptedPool();
    private final GroupCommit commit = new GroupCommit(db.pool(), "insert ...", 128, 1, MAX_WAITING);

    @Test
    void aRefusedGroupIsRetriedOneStatementAtATimeAndOnlyTheBadOneFails() {
        var first = execute("CA-first");
        var c = execute("CA-c");
        var bad = execute("CA-b");
        var d = execute("CA-d");
        db.answer(db.rows("CA-first"));
        first.assertCompleted();
        assertThat(label(first.getItem())).isEqualTo("CA-first");

        // The three that waited went out together, in sid order (the lock order), as one batch.
        assertThat(db.next()).isEqualTo(new Sent(true, List.of("CA-b", "CA-c", "CA-d")));
        db.fail(CHECK_VIOLATION);
        c.assertNotTerminated();
        bad.assertNotTerminated();
        d.assertNotTerminated();

        // Refused by the database: each statement again, alone, one after another, in the same order.
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-b")));
        db.fail(CHECK_VIOLATION);
        bad.assertFailedWith(PgException.class, "check constraint");
        c.assertNotTerminated();
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-c")));
        db.answer(db.rows("CA-c"));
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-d")));
        db.answer(db.rows("CA-d"));

        c.assertCompleted();
        d.assertCompleted();
        assertThat(label(c.getItem())).isEqualTo("CA-c");
        assertThat(label(d.getItem())).isEqualTo("CA-d");
        assertThat(db.sent).containsExactly(new Sent(false, List.of("CA-first")),
                new Sent(true, List.of("CA-b", "CA-c", "CA-d")),
                new Sent(false, List.of("CA-b")), new Sent(false, List.of("CA-c")), new Sent(false, List.of("CA-d")));
        assertThat(db.pending).isEmpty();
    }

    @Test
    void aGroupLostWithTheConnectionIsNotRetriedAndEveryCallerGetsTheFailure() {
        var first = execute("CA-first");
        var a = execute("CA-a");
        var b = execute("CA-b");
        db.answer(db.rows("CA-first"));
        assertThat(db.next()).isEqualTo(new Sent(true, List.of("CA-a", "CA-b")));
        var lost = new IllegalStateException("connection closed");
        db.fail(lost);

        a.assertFailedWith(IllegalStateException.class, "connection closed");
        b.assertFailedWith(IllegalStateException.class, "connection closed");
        assertThat(db.pending).isEmpty();
        // The group is over: the next statement goes out at once.
        var later = execute("CA-later");
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-later")));
        db.answer(db.rows("CA-later"));
        later.assertCompleted();
        first.assertCompleted();
    }

    @Test
    void eachCallerOfACommittedGroupGetsItsOwnResult() {
        var first = execute("CA-first");
        var z = execute("CA-z");
        var y = execute("CA-y");
        var x = execute("CA-x");
        db.answer(db.rows("CA-first"));
        assertThat(db.next()).isEqualTo(new Sent(true, List.of("CA-x", "CA-y", "CA-z")));
        // A batch answers with one result per statement, chained in the order sent.
        db.answer(db.rows("CA-x", "CA-y", "CA-z"));

        assertThat(label(x.getItem())).isEqualTo("CA-x");
        assertThat(label(y.getItem())).isEqualTo("CA-y");
        assertThat(label(z.getItem())).isEqualTo("CA-z");
        assertThat(label(first.getItem())).isEqualTo("CA-first");
        assertThat(db.sent).hasSize(2);
    }

    @Test
    void beyondItsBoundACallerIsRefusedAtOnceAndTheWaitListDoesNotGrow() {
        var first = execute("CA-first");
        var waiting = List.of(execute("CA-a"), execute("CA-b"), execute("CA-c"));
        assertThat(commit.waiting()).isEqualTo(MAX_WAITING);

        var refused = execute("CA-d");
        refused.assertFailedWith(GroupCommit.Saturated.class, "3 statements wait");
        assertThat(commit.waiting()).isEqualTo(MAX_WAITING);
        assertThat(commit.refused()).isEqualTo(1);
        waiting.forEach(UniAssertSubscriber::assertNotTerminated);
        assertThat(db.sent).hasSize(1);

        // Once the group in flight is done, the waiting ones go out together, and there is room again.
        db.answer(db.rows("CA-first"));
        first.assertCompleted();
        assertThat(db.next()).isEqualTo(new Sent(true, List.of("CA-a", "CA-b", "CA-c")));
        assertThat(commit.waiting()).isZero();
        var later = execute("CA-e");
        later.assertNotTerminated();
        assertThat(commit.waiting()).isEqualTo(1);
        db.answer(db.rows("CA-a", "CA-b", "CA-c"));
        waiting.forEach(UniAssertSubscriber::assertCompleted);
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-e")));
        db.answer(db.rows("CA-e"));
        later.assertCompleted();
        assertThat(commit.refused()).isEqualTo(1);
    }

    @Test
    void aGroupLostWithTheConnectionFailsThoseWaitingBehindItInsteadOfSendingThem() {
        var first = execute("CA-first");
        var a = execute("CA-a");
        var b = execute("CA-b");
        db.fail(new IllegalStateException("connection closed: no answer within the response timeout"));

        first.assertFailedWith(IllegalStateException.class, "no answer");
        a.assertFailedWith(IllegalStateException.class, "no answer");
        b.assertFailedWith(IllegalStateException.class, "no answer");
        assertThat(commit.waiting()).isZero();
        assertThat(db.sent).containsExactly(new Sent(false, List.of("CA-first")));
        assertThat(db.pending).isEmpty();
    }

    @Test
    void aGroupRefusedByTheDatabaseLeavesThoseWaitingBehindItWaiting() {
        var first = execute("CA-first");
        var a = execute("CA-a");
        db.fail(CHECK_VIOLATION);

        first.assertFailedWith(PgException.class, "check constraint");
        a.assertNotTerminated();
        assertThat(db.next()).isEqualTo(new Sent(false, List.of("CA-a")));
        db.answer(db.rows("CA-a"));
        a.assertCompleted();
    }

    private UniAssertSubscriber<RowSet<Row>> execute(String sid) {
        return commit.execute(Tuple.of(sid)).subscribe().withSubscriber(UniAssertSubscriber.create());
    }

    private static String label(RowSet<Row> rows) {
        return rows.getDelegate().toString();
    }

    /** One statement or batch as the pool received it: the sid ($1) of each of its tuples. */
    record Sent(boolean batch, List<String> sids) {
    }

    /** A pool that records each statement and holds it until {@link #answer} or {@link #fail}. */
    private static final class ScriptedPool {

        private record Held(Sent sent, Promise<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> result) {
        }

        final List<Sent> sent = new ArrayList<>();
        final Deque<Held> pending = new ArrayDeque<>();

        Pool pool() {
            PreparedQuery<?> query = fake(PreparedQuery.class, (name, args) -> switch (name) {
                case "execute" -> hold(false, List.of((io.vertx.sqlclient.Tuple) args[0]), args);
                case "executeBatch" -> {
                    @SuppressWarnings("unchecked")
                    var tuples = (List<io.vertx.sqlclient.Tuple>) args[0];
                    yield hold(true, tuples, args);
                }
                default -> throw new UnsupportedOperationException(name);
            });
            return new Pool(fake(io.vertx.sqlclient.Pool.class, (name, args) -> {
                if (name.equals("preparedQuery")) {
                    return query;
                }
                throw new UnsupportedOperationException(name);
            }));
        }

        @SuppressWarnings("unchecked")
        private Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> hold(boolean batch,
                List<io.vertx.sqlclient.Tuple> tuples, Object[] args) {
            var call = new Sent(batch, tuples.stream().map(t -> t.getString(0)).toList());
            Promise<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> result = Promise.promise();
            if (args.length > 1 && args[1] instanceof Handler<?> handler) {
                result.future()
                        .onComplete((Handler<AsyncResult<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>>>) handler);
            }
            sent.add(call);
            pending.add(new Held(call, result));
            return result.future();
        }

        /** The statement the pool holds now, without answering it. */
        Sent next() {
            assertThat(pending).as("a statement waiting for its answer").isNotEmpty();
            return pending.peek().sent();
        }

        void answer(io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows) {
            pending.poll().result().complete(rows);
        }

        void fail(Throwable failure) {
            pending.poll().result().fail(failure);
        }

        /** Results chained as a batch answers, each naming the statement it answers. */
        @SuppressWarnings("unchecked")
        io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> rows(String... labels) {
            io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row> next = null;
            for (int i = labels.length - 1; i >= 0; i--) {
                var after = next;
                String label = labels[i];
                next = fake(io.vertx.sqlclient.RowSet.class, (name, args) -> switch (name) {
                    case "next" -> after;
                    case "toString" -> label;
                    default -> throw new UnsupportedOperationException(name);
                });
            }
            return next;
        }

        private interface Answer {
            Object apply(String method, Object[] args);
        }

        @SuppressWarnings("unchecked")
        private static <T> T fake(Class<T> type, Answer answer) {
            return (T) Proxy.newProxyInstance(GroupCommitTest.class.getClassLoader(), new Class<?>[] { type },
                    (proxy, method, args) -> switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> answer.apply(method.getName(), args == null ? new Object[0] : args);
                    });
        }
    }
}
