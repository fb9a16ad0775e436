package io.switchboard.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * A replica takes webhooks only once it knows the tokens to check their signatures with; held in memory, they serve
 * through a database outage too.
 */
@Readiness
@ApplicationScoped
public class WebhookKeysReadiness implements HealthCheck {

    private final WebhookKeys keys;

    public WebhookKeysReadiness(WebhookKeys keys) {
        this.keys = keys;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("webhook-keys").status(keys.isLoaded())
                .withData("accounts", keys.accounts()).build();
    }
}
