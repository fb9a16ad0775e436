package io.switchboard.routing;

import io.smallrye.mutiny.Uni;
import io.switchboard.db.JsonColumns;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Reads routes straight from the tables the API writes: the database is the source of truth. */
final class RouteLoader {

    private static final String SELECT = """
            select n.id, n.organization_id, n.provider_id, n.number, p.account_sid, p.region, %s
              from phone_number n
              join provider p on p.id = n.provider_id
              left join agent a on a.id = n.agent_id
            """.formatted(Route.Agent.COLUMNS);

    private final Pool pool;
    private final JsonColumns json;

    RouteLoader(Pool pool, JsonColumns json) {
        this.pool = pool;
        this.json = json;
    }

    Uni<List<Route>> all() {
        return query(SELECT, Tuple.tuple());
    }

    Uni<List<Route>> byNumberId(UUID id) {
        return query(SELECT + " where n.id = $1", Tuple.of(id));
    }

    Uni<List<Route>> byAgent(UUID id) {
        return query(SELECT + " where n.agent_id = $1", Tuple.of(id));
    }

    Uni<List<Route>> byProvider(UUID id) {
        return query(SELECT + " where n.provider_id = $1", Tuple.of(id));
    }

    private Uni<List<Route>> query(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args).map(rows -> {
            var routes = new ArrayList<Route>(rows.size());
            for (Row row : rows) {
                routes.add(route(row));
            }
            return routes;
        });
    }

    private Route route(Row row) {
        return new Route(row.getUUID("id"), row.getUUID("organization_id"), row.getUUID("provider_id"),
                row.getString("number"), row.getString("account_sid"), row.getString("region"),
                Route.Agent.of(row, json));
    }
}
