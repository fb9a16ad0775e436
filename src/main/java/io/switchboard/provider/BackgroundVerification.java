package io.switchboard.provider;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.control.ActivateRequestContext;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

/**
 * Re-verifies providers in the background, one at a time per replica: each tick claims the provider verified longest
 * ago (if it is due), so a fleet of replicas spreads the work and Twilio never sees every provider checked at once.
 */
@ApplicationScoped
public class BackgroundVerification {

    private static final Logger LOG = Logger.getLogger(BackgroundVerification.class);

    private final ProviderService providers;

    public BackgroundVerification(ProviderService providers) {
        this.providers = providers;
    }

    /** Turned off by {@code switchboard.providers.background-verification=false}, as in the tests. */
    @Singleton
    static class Disabled implements Scheduled.SkipPredicate {

        private final ProvidersConfig config;

        Disabled(ProvidersConfig config) {
            this.config = config;
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !config.backgroundVerification();
        }
    }

    @Scheduled(every = "${switchboard.providers.verify-tick:30s}", delayed = "${switchboard.providers.verify-tick:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Disabled.class)
    @ActivateRequestContext
    Uni<Void> onTick() {
        return verifyOne().replaceWithVoid();
    }

    /** Claims and verifies the provider due longest; false when none was due. Never fails. */
    @ActivateRequestContext
    public Uni<Boolean> verifyOne() {
        return providers.verifyNextDue()
                .onFailure().invoke(e -> LOG.warnf("background provider verification failed: %s", e.getMessage()))
                .onFailure().recoverWithItem(false);
    }
}
