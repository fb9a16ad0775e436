package io.switchboard.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory Twilio of dev and test: its seed accounts, timing and faults. */
@ConfigMapping(prefix = "switchboard.simulator")
public interface SimulatorConfig {

    /** Seed accounts by account SID ({@code AC} + 32 hex); restored by every reset. */
    Map<String, Account> accounts();

    /** Also serve the simulator on this port (same routes under {@code /sim}), e.g. for benchmarks; 0: any free one. */
    Optional<Integer> port();

    /**
     * Read timeout and total time of a webhook whose URL's connection overrides do not set them; Twilio's are 15 s.
     */
    @WithDefault("15s")
    Duration webhookTimeout();

    Timing timing();

    Faults faults();

    interface Account {
        /** The primary auth token: REST basic-auth password and the key of every webhook signature. */
        String authToken();

        /** API keys of the account, SID ({@code SK…}) to secret. */
        Map<String, String> apiKeys();

        /** Phone numbers (E.164) the account owns at start. */
        Optional<List<String>> numbers();

        /** The account's calls per second: calls created faster are queued, as in Twilio. 0: no limit. */
        @WithDefault("0")
        int callsPerSecond();
    }

    interface Timing {
        /** Pause between two steps of a call (initiated, ringing, answered) or message (sent, delivered). */
        @WithDefault("500ms")
        Duration step();

        /** How long an answered call stays in progress unless it is hung up. */
        @WithDefault("3s")
        Duration talkTime();
    }

    interface Faults {
        /**
         * Outbound calls accepted per second and account; over it: 429 with code 20429. 0: no limit. A fault, not how
         * Twilio treats an account's CPS (it queues): for that, see {@link Account#callsPerSecond()}.
         */
        @WithDefault("0")
        int callsPerSecond();

        /** Share (0 to 1) of REST requests answered with a 500 before being processed. */
        @WithDefault("0")
        double serverErrorRate();

        /** Delay added before every REST answer. */
        @WithDefault("0s")
        Duration latency();

        /** Delay of the answer to a create once the resource exists: past the client's timeout, it is ambiguous. */
        @WithDefault("0s")
        Duration createResponseDelay();

        /** Deliver a call's status callbacks in reverse order, after the call ends. */
        @WithDefault("false")
        boolean callbacksOutOfOrder();

        /** Deliver every callback twice, with the same idempotency token. */
        @WithDefault("false")
        boolean callbacksTwice();
    }
}
