package io.switchboard.dev;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.switchboard.common.PhoneNumbers;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Dev mode only: seeds at start ({@link DevSeed}) and prints what the first curl needs. It runs after start, not
 * during it, because the provider is checked against the simulator over HTTP, which answers only once the server is
 * up; start-up does not wait for it.
 */
@IfBuildProfile("dev")
@ApplicationScoped
class DevSeedAtStart {

    private static final Logger LOG = Logger.getLogger(DevSeedAtStart.class);

    private final DevSeed seed;
    private final DevSeedConfig config;
    private final Vertx vertx;

    DevSeedAtStart(DevSeed seed, DevSeedConfig config, Vertx vertx) {
        this.seed = seed;
        this.config = config;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        // quarkus:dev only: the bench scripts run this dev build as a packaged simulator (profile dev, their own
        // database), where a seeded number on account 1 would be in their way.
        if (!config.enabled() || LaunchMode.current() != LaunchMode.DEVELOPMENT) {
            return;
        }
        // Hibernate Reactive opens its session only on a duplicated context marked safe, as a request's is.
        var context = VertxContext.getOrCreateDuplicatedContext(vertx.getDelegate());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> seed.seed(seed.configured()).subscribe().with(this::print,
                failure -> LOG.warnf("dev seeding failed: %s", failure.getMessage())));
    }

    /** The key is the fixed dev key published in the README, not a secret; dev mode only. */
    private void print(DevSeed.Seeded seeded) {
        LOG.infof("""
                dev data %s:
                  organization %s, API key %s
                  provider %s (simulated account %s), agent %s, number %s (%s) assigned to the agent
                  curl -s localhost:%s/v1/phone-numbers -H 'Authorization: Bearer %s'""",
                seeded.created() ? "seeded" : "kept from the last run", seeded.organizationId(), seeded.apiKey(),
                seeded.providerId(), config.accountSid(), seeded.agentId(), seeded.numberId(),
                PhoneNumbers.redact(seeded.number()),
                java.net.URI.create(config.apiUrl()).getPort(), seeded.apiKey());
    }
}
