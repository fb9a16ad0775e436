package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The sealed columns of {@code provider}, read without a tenant: for the service's own background work (webhook keys,
 * dispatch, replies, key rotation), which starts from a provider id or from every provider.
 */
@ApplicationScoped
class ProviderSecretRepository {

    private static final String SELECT = "select " + SealedProvider.COLUMNS + " from provider pr";

    private final Pool pool;

    ProviderSecretRepository(Pool pool) {
        this.pool = pool;
    }

    /** Null when there is no such provider. */
    Uni<SealedProvider> find(UUID providerId) {
        return pool.preparedQuery(SELECT + " where pr.id = $1").execute(Tuple.of(providerId))
                .map(rows -> rows.iterator().hasNext() ? SealedProvider.of(rows.iterator().next()) : null);
    }

    Uni<List<SealedProvider>> findAll() {
        return pool.query(SELECT).execute().map(ProviderSecretRepository::all);
    }

    /** The providers with a secret that does not start with {@code prefix}: sealed under another key than its. */
    Uni<List<SealedProvider>> findSealedOtherThan(String prefix) {
        var others = new StringBuilder();
        for (SecretField field : SecretField.values()) {
            others.append(others.isEmpty() ? "" : " or ").append("pr.").append(field.column()).append(" not like $1");
        }
        return pool.preparedQuery(SELECT + " where " + others).execute(Tuple.of(prefix + "%"))
                .map(ProviderSecretRepository::all);
    }

    /** Compare and set: a value someone replaced meanwhile is theirs to keep. True when it was replaced. */
    Uni<Boolean> replace(UUID providerId, SecretField field, String expected, String fresh) {
        return replace(pool, providerId, field, expected, fresh);
    }

    /** The same, on {@code db} (a transaction of the caller's). */
    Uni<Boolean> replace(SqlClient db, UUID providerId, SecretField field, String expected, String fresh) {
        String column = field.column();
        return db.preparedQuery("update provider set " + column + " = $1 where id = $2 and " + column + " = $3")
                .execute(Tuple.of(fresh, providerId, expected)).map(result -> result.rowCount() > 0);
    }

    private static List<SealedProvider> all(RowSet<Row> rows) {
        var all = new ArrayList<SealedProvider>(rows.size());
        rows.forEach(row -> all.add(SealedProvider.of(row)));
        return all;
    }
}
