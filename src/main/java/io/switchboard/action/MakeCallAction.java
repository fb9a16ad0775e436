package io.switchboard.action;

import io.smallrye.mutiny.Uni;
import io.switchboard.agent.AgentService;
import io.switchboard.agent.AgentView;
import io.switchboard.call.CallBatchRequest;
import io.switchboard.call.CallBatchService;
import io.switchboard.common.PageRequest;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * {@code makeCall {to, agentId?, from?}}: a batch of one call through {@code POST /v1/calls}, stored before the answer
 * and placed once by the dispatcher. Without {@code agentId}, the organization's only agent; without {@code from},
 * the agent's oldest number, as there. The call's sid is not known yet: the result carries its id
 * ({@code GET /v1/calls/{id}} shows the sid once placed).
 */
@ApplicationScoped
class MakeCallAction implements Action {

    /** What an agent needs to follow the call it asked for. */
    record Placed(UUID callId, UUID batchId, String to, String status) {
    }

    private final CallBatchService batches;
    private final AgentService agents;

    MakeCallAction(CallBatchService batches, AgentService agents) {
        this.batches = batches;
        this.agents = agents;
    }

    @Override
    public String name() {
        return "makeCall";
    }

    @Override
    public Uni<Placed> run(Arguments arguments) {
        arguments.only(Set.of("to", "agentId", "from"));
        String to = arguments.required("to");
        String from = arguments.optional("from");
        String agentId = arguments.optional("agentId");
        Uni<String> agent = agentId != null ? Uni.createFrom().item(agentId) : onlyAgent();
        return agent.chain(id -> batches.create(new CallBatchRequest(id, List.of(to), null, from, null, null, null,
                null, null)))
                .map(batch -> {
                    var call = batch.calls().get(0);
                    return new Placed(call.id(), batch.batchId(), call.to(), call.status());
                });
    }

    private Uni<String> onlyAgent() {
        return agents.list(PageRequest.of(2, null)).map(page -> {
            List<AgentView> found = page.items();
            if (found.size() != 1) {
                throw ActionError.invalidArgument("agentId", "is required: the organization has "
                        + (found.isEmpty() ? "no agent" : "more than one agent"));
            }
            return found.get(0).id().toString();
        });
    }
}
