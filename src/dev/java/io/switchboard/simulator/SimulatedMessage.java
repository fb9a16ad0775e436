package io.switchboard.simulator;

import java.time.Instant;

/** A snapshot of a simulated message for tests. */
public record SimulatedMessage(String sid, String accountSid, String from, String to, String body, String direction,
        String status, int segments, Integer errorCode, Instant createdAt) {
}
