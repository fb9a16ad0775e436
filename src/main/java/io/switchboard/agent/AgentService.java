package io.switchboard.agent;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.db.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

@ApplicationScoped
public class AgentService {

    private final AgentRepository agents;
    private final AssignedNumbers numbers;
    private final ObjectMapper json;
    private final JsonColumns columns;

    public AgentService(AgentRepository agents, AssignedNumbers numbers, ObjectMapper json, JsonColumns columns) {
        this.agents = agents;
        this.numbers = numbers;
        this.json = json;
        this.columns = columns;
    }

    @WithTransaction
    public Uni<AgentView> create(AgentRequest request) {
        request.validate();
        var agent = new Agent();
        apply(agent, request);
        agent.createdAt = Instant.now();
        agent.updatedAt = agent.createdAt;
        return agents.persist(agent).map(this::view);
    }

    @WithSession
    public Uni<AgentView> find(UUID id) {
        return agents.findById(id).map(agent -> agent == null ? null : view(agent));
    }

    @WithSession
    public Uni<ListResponse<AgentView>> list(PageRequest page) {
        return agents.page("", Map.of(), page).map(p -> p.map(this::view));
    }

    /** Merges the patch onto the agent, validates the result as a whole, and stores it. */
    @WithTransaction
    public Uni<AgentView> update(UUID id, AgentPatch patch) {
        return agents.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("agent"))
                .map(agent -> {
                    AgentRequest merged = merge(agent, patch);
                    merged.validate();
                    apply(agent, merged);
                    agent.updatedAt = Instant.now();
                    return view(agent);
                });
    }

    @WithTransaction
    public Uni<Void> delete(UUID id) {
        return agents.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("agent"))
                .chain(agent -> numbers.countByAgent(agent.id).chain(assigned -> {
                    if (assigned > 0) {
                        return Uni.createFrom().failure(new AgentInUse(assigned));
                    }
                    return agents.delete(agent);
                }));
    }

    AgentView view(Agent agent) {
        return new AgentView(agent.id, agent.name, routing(agent), readParameters(agent.parameters), agent.recording,
                agent.transferNumber, agent.createdAt,
                agent.updatedAt);
    }

    private void apply(Agent agent, AgentRequest request) {
        agent.name = request.name().strip();
        agent.routingType = request.routing().type();
        agent.routingTarget = request.routing().target();
        agent.routingSettings = writeParameters(request.routing().settings());
        agent.parameters = writeParameters(request.parametersOrEmpty());
        agent.recording = request.recordingOrDefault();
        agent.transferNumber = request.transferNumber();
    }

    private AgentRequest merge(Agent agent, AgentPatch patch) {
        ObjectNode current = json.valueToTree(new AgentRequest(agent.name, routing(agent),
                readParameters(agent.parameters), agent.recording, agent.transferNumber));
        put(current, "name", patch.name());
        put(current, "routing", patch.routing());
        put(current, "parameters", patch.parameters());
        put(current, "recording", patch.recording());
        put(current, "transferNumber", patch.transferNumber());
        try {
            return json.treeToValue(current, AgentRequest.class);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest(fieldOf(e), "has the wrong type");
        }
    }

    private static void put(ObjectNode target, String field, JsonNode value) {
        if (value != null) {
            target.set(field, value);
        }
    }

    private static String fieldOf(JsonProcessingException e) {
        if (e instanceof com.fasterxml.jackson.databind.JsonMappingException m && !m.getPath().isEmpty()) {
            var path = new StringBuilder();
            for (var ref : m.getPath()) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            }
            return path.toString();
        }
        return "body";
    }

    private Routing routing(Agent agent) {
        return Routing.of(agent.routingType, agent.routingTarget,
                agent.routingSettings == null ? Map.of() : readParameters(agent.routingSettings));
    }

    private Map<String, String> readParameters(String stored) {
        return new TreeMap<>(columns.read(stored, JsonColumns.STRING_MAP));
    }

    private String writeParameters(Map<String, String> parameters) {
        return columns.write(new TreeMap<>(parameters));
    }
}
