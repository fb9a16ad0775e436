package io.switchboard.provider;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.tenant.TenantContext;
import io.switchboard.tenant.TenantRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@ApplicationScoped
public class ProviderRepository extends TenantRepository<Provider> {

    public ProviderRepository(TenantContext tenant) {
        super(Provider.class, tenant);
    }

    public Uni<Boolean> existsForAccount(String accountSid, String region) {
        return count("accountSid = :sid and region = :region", Map.of("sid", accountSid, "region", region))
                .map(n -> n > 0);
    }

    /** Webhooks name a Twilio account, not an organization: every provider connected to that account. */
    public Uni<List<Provider>> findByAccountSidAcrossOrganizations(String accountSid) {
        return Panache.getSession().chain(s -> s
                .createSelectionQuery("from Provider where accountSid = :sid", Provider.class)
                .setParameter("sid", accountSid)
                .getResultList());
    }

    /**
     * The background verifier: claims the provider verified longest ago, if that is longer than {@code interval},
     * by moving its {@code last_verified_at} forward in the same statement. Replicas never claim the same provider
     * ({@code skip locked}), and a provider whose verification crashed is retried one interval later.
     */
    public Uni<UUID> claimNextToVerify(Duration interval) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                update provider set last_verified_at = now()
                 where id = (select id from provider
                              where last_verified_at is null or last_verified_at < now() - make_interval(secs => :secs)
                              order by last_verified_at nulls first
                              limit 1
                              for update skip locked)
                returning id""", UUID.class)
                .setParameter("secs", (double) interval.toSeconds())
                .getResultList())
                .map(ids -> ids.isEmpty() ? null : ids.get(0));
    }

    /** The background verifier's read, before it takes on the provider's organization. */
    public Uni<Provider> findByIdAsSystem(UUID id) {
        return Panache.getSession().chain(s -> s.find(Provider.class, id));
    }
}
