package io.switchboard.db;

import io.vertx.pgclient.PgException;

/** Classifies database failures. */
public final class Database {

    private Database() {
    }

    /** A unique constraint refused the row: the thing exists already, perhaps inserted by a racing request. */
    public static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
