package io.switchboard.number;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.agent.AssignedNumbers;
import io.switchboard.provider.ImportedNumbers;
import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The queries on {@code phone_number}, including what providers and agents need to know of their numbers. */
@ApplicationScoped
public class PhoneNumberRepository extends TenantRepository<PhoneNumber> implements ImportedNumbers, AssignedNumbers {

    public PhoneNumberRepository(TenantContext tenant) {
        super(PhoneNumber.class, tenant);
    }

    @Override
    public Uni<Long> countByAgent(UUID agentId) {
        return count("agentId = :agentId", Map.of("agentId", agentId));
    }

    @Override
    public Uni<Long> countByProvider(UUID providerId) {
        return count("providerId = :providerId", Map.of("providerId", providerId));
    }

    @Override
    public Uni<List<String>> numbersByProvider(UUID providerId) {
        return list("providerId = :providerId", Map.of("providerId", providerId))
                .map(rows -> rows.stream().map(n -> n.number).toList());
    }

    /** This provider's row of a number whose import Twilio left unconfirmed, or null. */
    public Uni<PhoneNumber> findFailedImport(UUID providerId, String number) {
        return list("providerId = :providerId and number = :number and importFailedAt is not null",
                Map.of("providerId", providerId, "number", number)).map(rows -> rows.isEmpty() ? null : rows.get(0));
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
