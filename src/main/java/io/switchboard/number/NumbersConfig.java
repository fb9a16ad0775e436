package io.switchboard.number;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Positive;

@ConfigMapping(prefix = "switchboard.numbers")
public interface NumbersConfig {

    /** Bringing the webhook URLs of numbers imported earlier up to date at Twilio, after start-up. */
    WebhookUpgrade webhookUpgrade();

    interface WebhookUpgrade {
        /** Whether this replica looks, after start-up, for numbers registered with other connection overrides. */
        @WithDefault("true")
        boolean enabled();

        /** Numbers updated per second and Twilio account, at most (each update is two requests: read, then write). */
        @WithDefault("2")
        @Positive
        double perSecond();
    }
}
