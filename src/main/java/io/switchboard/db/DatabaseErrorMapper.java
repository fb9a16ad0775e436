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

    /** Hibernate wraps what PostgreSQL said; without such an answer the database could not be reached. */
    @ServerExceptionMapper
    public Response database(HibernateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return database(pg);
            }
        }
        LOG.errorf("database failure: %s", e.getClass().getSimpleName());
        return unavailable();
    }

    /**
     * PostgreSQL answered with an error: a constraint that a racing request won is a conflict, a database that is
     * going away or overloaded is unavailable, anything else is our fault and says nothing about the statement.
     */
    @ServerExceptionMapper
    public Response database(PgException e) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        if (state.startsWith("23")) {
            return ApiError.of("conflict", "the request conflicts with the current state; reload and retry")
                    .toResponse(409);
        }
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
            LOG.errorf("database unavailable: SQLSTATE %s", state);
            return unavailable();
        }
        LOG.errorf("database error: SQLSTATE %s", state);
        return ApiError.of("internal_error", "internal error").toResponse(500);
    }

    private static Response unavailable() {
        return ApiError.of("database_unavailable", "the database is unavailable, try again").toResponse(503);
    }
}
