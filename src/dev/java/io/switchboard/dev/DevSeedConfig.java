package io.switchboard.dev;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.UUID;

/** What dev mode seeds at start ({@link DevSeed}): fixed, published values that are no secret. */
@ConfigMapping(prefix = "switchboard.dev.seed")
public interface DevSeedConfig {

    /** Whether dev mode seeds its organization, provider, agent and number at start. */
    @WithDefault("true")
    boolean enabled();

    /** The service's own API, which the seeding drives as a client does (the port dev mode listens on). */
    @WithDefault("http://localhost:8080")
    String apiUrl();

    /** The dev organization's id. */
    @WithDefault("d0000000-0000-4000-8000-000000000001")
    UUID organizationId();

    /** The dev organization's API key. */
    @WithDefault("sb_dev_key_not_a_secret_0000000000000000")
    String apiKey();

    /** The simulated Twilio account the dev provider connects. */
    @WithDefault("AC00000000000000000000000000000001")
    String accountSid();

    /** That account's auth token, as the simulator is configured with it. */
    @WithDefault("${switchboard.simulator.accounts.AC00000000000000000000000000000001.auth-token}")
    String authToken();

    /** The account's number that is imported and assigned to the dev agent. */
    @WithDefault("+14155550100")
    String number();
}
