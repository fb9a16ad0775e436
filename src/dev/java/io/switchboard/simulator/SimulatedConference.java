package io.switchboard.simulator;

import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of a simulated conference for tests: its status (init, in-progress, completed), why it ended, and its
 * participants not gone yet by call SID with where each stands (queued, ringing, connected, held).
 */
public record SimulatedConference(String sid, String friendlyName, String status, String reasonEnded,
        Map<String, String> participants, Instant createdAt) {
}
