package io.switchboard.call;

import io.smallrye.config.ConfigMapping;
import java.util.Optional;

@ConfigMapping(prefix = "switchboard.calls")
public interface CallsConfig {

    /**
     * Answered inbound calls waiting to be written, at most; beyond it they are counted as dropped. Unset: a quarter
     * of the heap (see {@link InboundCallRecorder#defaultCapacity}).
     */
    Optional<Integer> inboundQueueCapacity();
}
