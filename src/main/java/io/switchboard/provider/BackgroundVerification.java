package io.switchboard.provider;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import org.jboss.logging.Logger;

/**
 * Re-verifies providers in the background, one at a time per replica: each tick claims the provider verified longest
 * ago (if it is due), so a fleet of replicas spreads the work and Twilio never sees every provider checked at once.
 */
@ApplicationScoped
public class BackgroundVerification {

    private static final Logger LOG = Logger.getLogger(BackgroundVerification.class);

    private final ProviderService providers;
    private final ProvidersConfig config;

    public BackgroundVerification(ProviderService providers, ProvidersConfig config) {
        this.providers = providers;
        this.config = config;
    }

    @Scheduled(every = "${switchboard.providers.verify-tick:30s}", delayed = "${switchboard.providers.verify-tick:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @ActivateRequestContext
    Uni<Void> verifyNext() {
        if (!config.backgroundVerification()) {
            return Uni.createFrom().voidItem();
        }
        return providers.verifyNextDue()
                .onFailure().invoke(e -> LOG.warnf("background provider verification failed: %s", e.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
