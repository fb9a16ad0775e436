package io.switchboard.number;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class PhoneNumberRepository extends TenantRepository<PhoneNumber> {

    public PhoneNumberRepository(TenantContext tenant) {
        super(PhoneNumber.class, tenant);
    }

    public Uni<Long> countByAgent(UUID agentId) {
        return count("agentId = :agentId", Map.of("agentId", agentId));
    }

    public Uni<Long> countByProvider(UUID providerId) {
        return count("providerId = :providerId", Map.of("providerId", providerId));
    }

    public Uni<List<PhoneNumber>> listByProvider(UUID providerId) {
        return list("providerId = :providerId", Map.of("providerId", providerId));
    }

    /** Numbers are unique across organizations: whether any organization has imported this one. */
    public Uni<Boolean> existsInAnyOrganization(String number) {
        return Panache.getSession().chain(s -> s
                .createSelectionQuery("select count(*) from PhoneNumber where number = :number", Long.class)
                .setParameter("number", number)
                .getSingleResult())
                .map(count -> count > 0);
    }
}
