package io.switchboard.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ErrorBody;
import io.vertx.pgclient.PgException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.List;
import org.hibernate.HibernateException;
import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseErrorMapperTest {

    private static final String CONSTRAINT =
            "duplicate key value violates unique constraint \"phone_number_number_key\"";

    private final DatabaseErrorMapper mapper = new DatabaseErrorMapper();

    @ParameterizedTest
    @ValueSource(strings = { "23505", "23503", "23514" })
    void aConstraintARacingRequestWonIsAConflictThatNamesNoConstraint(String state) {
        var body = ErrorBody.of(mapper.database(pg(CONSTRAINT, state)));
        assertThat(body).isEqualTo(new ErrorBody(409, "conflict",
                "the request conflicts with the current state; reload and retry", List.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = { "08006", "53300", "57P01" })
    void aDatabaseGoingAwayOrOverloadedIsUnavailable(String state) {
        var body = ErrorBody.of(mapper.database(pg("the database system is shutting down", state)));
        assertThat(body).isEqualTo(unavailable());
    }

    /** NUL in text, a malformed literal, a number or a date out of range, an index row too large: 400, never 5xx. */
    @ParameterizedTest
    @ValueSource(strings = { "22021", "22P02", "22003", "22008", "22001", "54000" })
    void aValueTheDatabaseCannotHoldIsTheCallersBadInput(String state) {
        var expected = new ErrorBody(400, "invalid_request",
                "the request carries a value that cannot be stored or searched for", List.of());
        assertThat(ErrorBody.of(mapper.database(pg("invalid byte sequence for encoding \"UTF8\": 0x00", state))))
                .isEqualTo(expected);
        // Hibernate Reactive reports it as a JDBCException carrying the SQLSTATE, with no driver error beneath.
        assertThat(ErrorBody.of(mapper.database(new DataException("could not execute statement",
                new SQLException("ERROR: invalid byte sequence", state))))).isEqualTo(expected);
    }

    @Test
    void hibernateIsAnsweredByTheSqlStateItCarries() {
        assertThat(ErrorBody.of(mapper.database(new ConstraintViolationException("duplicate",
                new SQLException("duplicate key", "23505"), "phone_number_number_key"))).status()).isEqualTo(409);
        assertThat(ErrorBody.of(mapper.database(new DataException("x", new SQLException("x", "57P01")))))
                .isEqualTo(unavailable());
        assertThat(ErrorBody.of(mapper.database(new DataException("x", new SQLException("x", "42P01")))).status())
                .isEqualTo(500);
    }

    @Test
    void anyOtherErrorIsOursAndSaysNothingOfTheStatement() {
        var body = ErrorBody.of(mapper.database(pg("relation \"phone_number\" does not exist", "42P01")));
        assertThat(body).isEqualTo(new ErrorBody(500, "internal_error", "internal error", List.of()));
        assertThat(ErrorBody.of(mapper.database(pg("no state", null))).status()).isEqualTo(500);
    }

    @Test
    void hibernateIsAnsweredByWhatPostgresqlSaidBeneathIt() {
        var wrapped = new HibernateException("could not execute statement",
                new IllegalStateException("flush failed", pg(CONSTRAINT, "23505")));
        assertThat(ErrorBody.of(mapper.database(wrapped)).status()).isEqualTo(409);
    }

    @Test
    void hibernateWithoutAnAnswerFromPostgresqlIsUnavailable() {
        var body = ErrorBody.of(mapper.database(new HibernateException("connection failed",
                new ConnectException("Connection refused: db.internal/10.0.0.9:5432"))));
        assertThat(body).isEqualTo(unavailable());
    }

    private static ErrorBody unavailable() {
        return new ErrorBody(503, "database_unavailable", "the database is unavailable, try again", List.of());
    }

    private static PgException pg(String message, String state) {
        return new PgException(message, "ERROR", state, "Key (number)=(+14155550100) already exists.");
    }
}
