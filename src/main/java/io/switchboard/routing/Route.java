package io.switchboard.routing;

import io.switchboard.db.JsonColumns;
import io.vertx.mutiny.sqlclient.Row;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/** What an inbound call to one imported number needs to know, held in memory by the {@link RoutingTable}. */
public record Route(UUID numberId, UUID organizationId, UUID providerId, String number, String accountSid,
        String region, Agent agent) {

    /**
     * The assigned agent; null when the number has none. {@code settings}: the route's settings beyond its target
     * (a ConversationRelay's attributes), empty for the other types.
     */
    public record Agent(UUID id, String type, String target, Map<String, String> parameters, boolean recording,
            String transferNumber, Map<String, String> settings) {

        /** An agent whose route takes no settings beyond its target. */
        public Agent(UUID id, String type, String target, Map<String, String> parameters, boolean recording,
                String transferNumber) {
            this(id, type, target, parameters, recording, transferNumber, Map.of());
        }

        /** The same agent with other stream parameters. */
        public Agent withParameters(Map<String, String> other) {
            return new Agent(id, type, target, other, recording, transferNumber, settings);
        }

        private static final Logger LOG = Logger.getLogger(Agent.class);

        /** What a query selects from {@code agent a} for {@link #of}: the one mapping of an agent row to a route. */
        public static final String COLUMNS = """
                a.id as agent_id, a.routing_type, a.routing_target, a.parameters, a.recording, a.transfer_number,
                a.routing_settings""";

        /** The agent of a row selected with {@link #COLUMNS}; null when the row has none (a left join). */
        public static Agent of(Row row, JsonColumns json) {
            UUID id = row.getUUID("agent_id");
            return id == null ? null : new Agent(id, row.getString("routing_type"), row.getString("routing_target"),
                    parameters(id, row.getString("parameters"), json), "on".equals(row.getString("recording")),
                    row.getString("transfer_number"), parameters(id, row.getString("routing_settings"), json));
        }

        /**
         * One agent whose stored parameters cannot be read must not stop every full reload, and with it every replica
         * that starts: its calls are still routed, without the parameters, and the fault is logged.
         */
        private static Map<String, String> parameters(UUID id, String stored, JsonColumns json) {
            try {
                return Map.copyOf(json.read(stored, JsonColumns.STRING_MAP));
            } catch (RuntimeException e) {
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                LOG.errorf("agent %s: stored parameters are not a JSON object of strings (%s); routing without them",
                        id, cause.getClass().getSimpleName());
                return Map.of();
            }
        }
    }
}
