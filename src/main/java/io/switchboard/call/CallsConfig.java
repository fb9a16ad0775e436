package io.switchboard.call;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "switchboard.calls")
public interface CallsConfig {

    /**
     * Answered inbound calls waiting to be written, at most; beyond it they are counted as dropped. Unset: a quarter
     * of the heap (see {@link InboundCallRecorder#defaultCapacity}).
     */
    Optional<Integer> inboundQueueCapacity();

    /**
     * While the queue is over half full and the database is writing it (no write has failed since the last one that
     * succeeded), an answer waits until the queue is back under half, for at most this long: callers are then answered
     * at the rate their calls are recorded instead of being recorded less than they are answered. Well under the
     * five-second read timeout the registered URLs give Twilio ({@code rt}); 0 answers at once.
     */
    @WithDefault("500ms")
    Duration inboundAnswerHold();
}
