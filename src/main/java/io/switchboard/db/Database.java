package io.switchboard.db;

import io.vertx.pgclient.PgException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;
import org.hibernate.JDBCException;

/** Classifies database failures by what PostgreSQL answered (its SQLSTATE), on the reactive client or through Hibernate. */
public final class Database {

    /**
     * SQLSTATE classes of a failure that another attempt can get past: the connection (08), a transaction rolled back
     * by a serialization failure or a deadlock (40), insufficient resources (53), an operator or a shutdown (57), a
     * system error such as I/O (58).
     */
    private static final Set<String> TRANSIENT = Set.of("08", "40", "53", "57", "58");

    private Database() {
    }

    /** What PostgreSQL answered, if it answered: the SQLSTATE of the first error in the chain that carries one. */
    public static Optional<String> sqlState(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String state = t instanceof PgException pg ? pg.getSqlState()
                    : t instanceof JDBCException jdbc ? jdbc.getSQLState()
                            : t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.length() == 5) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }

    /** A unique constraint refused the row: the thing exists already, perhaps inserted by a racing request. */
    public static boolean isUniqueViolation(Throwable failure) {
        return sqlState(failure).filter("23505"::equals).isPresent();
    }

    /** A constraint refused the row (class 23): a conflict with what is stored. */
    public static boolean isConstraintViolation(Throwable failure) {
        return sqlState(failure).filter(s -> s.startsWith("23")).isPresent();
    }

    /**
     * A value PostgreSQL cannot hold or read: a data exception (class 22: NUL in text 22021, a malformed literal
     * 22P02, a number or a date out of range 22003, 22008) or beyond one of its limits (class 54, such as an index
     * row too large, 54000). The value is the caller's; the same statement with it will fail again.
     */
    public static boolean isBadValue(Throwable failure) {
        return sqlState(failure).filter(s -> s.startsWith("22") || s.startsWith("54")).isPresent();
    }

    /**
     * The database could not be reached or could not finish, and may next time: no answer from PostgreSQL at all (a
     * closed connection, a timeout), or an answer of a transient class. Any other answer is about the statement and
     * what it carries, and will be the same however often it is sent.
     */
    public static boolean isTransient(Throwable failure) {
        return sqlState(failure).map(s -> TRANSIENT.contains(s.substring(0, 2))).orElse(true);
    }
}
