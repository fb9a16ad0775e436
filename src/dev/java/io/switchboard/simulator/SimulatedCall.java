package io.switchboard.simulator;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of a simulated call for tests. {@code durationSeconds} is null until the call ends. {@code overLimit}:
 * the create arrived while the account's calls per second were used up, so Twilio queued it for {@code queuedMillis}
 * before executing it. {@code answeredBy} is null without answering machine detection.
 */
public record SimulatedCall(String sid, String accountSid, String from, String to, String direction, String status,
        String url, Integer durationSeconds, Instant createdAt, List<String> recordingSids, boolean overLimit,
        long queuedMillis, String answeredBy) {
}
