package io.switchboard.agent;

/** Numbers are still assigned to the agent, so it cannot be deleted; {@link AgentErrorMapper} answers it. */
public final class AgentInUse extends RuntimeException {

    private final long assigned;

    AgentInUse(long assigned) {
        super("agent has " + assigned + " assigned phone number(s)", null, false, false);
        this.assigned = assigned;
    }

    public long assigned() {
        return assigned;
    }
}
