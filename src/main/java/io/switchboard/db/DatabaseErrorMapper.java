package io.switchboard.db;

import io.switchboard.common.ApiError;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import org.hibernate.HibernateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A failed statement as the API answers it: never the statement, the constraint or what PostgreSQL said of it. */
public class DatabaseErrorMapper {

    private static final Logger LOG = Logger.getLogger(DatabaseErrorMapper.class);

    /**
     * Hibernate wraps what PostgreSQL said (as the SQLSTATE of a {@code JDBCException}, or the driver's error beneath
     * it); without such an answer the database could not be reached.
     */
    @ServerExceptionMapper
    public Response database(HibernateException e) {
        if (Database.sqlState(e).isEmpty()) {
            LOG.errorf("database failure: %s", e.getClass().getSimpleName());
            return unavailable();
        }
        return answer(e);
    }

    @ServerExceptionMapper
    public Response database(PgException e) {
        return answer(e);
    }

    /**
     * PostgreSQL answered with an error: a constraint that a racing request won is a conflict, a value it cannot hold
     * is the caller's bad input, a database that is going away or overloaded is unavailable, anything else is our
     * fault and says nothing about the statement.
     */
    private static Response answer(Throwable e) {
        String state = Database.sqlState(e).orElse("");
        if (Database.isConstraintViolation(e)) {
            return ApiError.of("conflict", "the request conflicts with the current state; reload and retry")
                    .toResponse(409);
        }
        if (Database.isBadValue(e)) {
            LOG.infof("request refused by the database: SQLSTATE %s", state);
            return ApiError.of("invalid_request", "the request carries a value that cannot be stored or searched for")
                    .toResponse(400);
        }
        if (!state.isEmpty() && Database.isTransient(e)) {
            LOG.errorf("database unavailable: SQLSTATE %s", state);
            return unavailable();
        }
        LOG.errorf("database error: SQLSTATE %s", state.isEmpty() ? "none" : state);
        return ApiError.of("internal_error", "internal error").toResponse(500);
    }

    private static Response unavailable() {
        return ApiError.of("database_unavailable", "the database is unavailable, try again").toResponse(503);
    }
}
