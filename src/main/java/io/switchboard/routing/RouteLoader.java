package io.switchboard.routing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Reads routes straight from the tables the API writes: the database is the source of truth. */
final class RouteLoader {

    private static final Logger LOG = Logger.getLogger(RouteLoader.class);
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    private static final String SELECT = """
            select n.id, n.organization_id, n.provider_id, n.number, p.account_sid, p.region,
                   a.id as agent_id, a.routing_type, a.routing_target, a.parameters, a.recording, a.transfer_number
              from phone_number n
              join provider p on p.id = n.provider_id
              left join agent a on a.id = n.agent_id
            """;

    private final Pool pool;
    private final ObjectMapper json;

    RouteLoader(Pool pool, ObjectMapper json) {
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
        UUID agentId = row.getUUID("agent_id");
        Route.Agent agent = agentId == null ? null : new Route.Agent(agentId, row.getString("routing_type"),
                row.getString("routing_target"), parameters(row.getString("parameters")),
                "on".equals(row.getString("recording")), row.getString("transfer_number"));
        return new Route(row.getUUID("id"), row.getUUID("organization_id"), row.getUUID("provider_id"),
                row.getString("number"), row.getString("account_sid"), row.getString("region"), agent);
    }

    /**
     * One agent whose stored parameters cannot be read must not stop every full reload, and with it every replica that
     * starts: its calls are still routed, without the parameters, and the fault is logged.
     */
    private Map<String, String> parameters(String stored) {
        try {
            return Map.copyOf(json.readValue(stored, STRING_MAP));
        } catch (JsonProcessingException | RuntimeException e) {
            LOG.errorf("stored agent parameters are not a JSON object of strings (%s); routing without them",
                    e.getClass().getSimpleName());
            return Map.of();
        }
    }
}
