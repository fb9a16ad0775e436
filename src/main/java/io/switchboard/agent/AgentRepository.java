package io.switchboard.agent;

import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;

@ApplicationScoped
public class AgentRepository extends TenantRepository<Agent> {

    public AgentRepository(TenantContext tenant) {
        super(Agent.class, tenant);
    }
}
