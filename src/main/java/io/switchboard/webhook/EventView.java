package io.switchboard.webhook;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One stored Twilio callback as the API shows it: {@code params} holds every parameter, each with all its values. */
public record EventView(String type, String status, Integer sequenceNumber, Instant receivedAt,
        Map<String, List<String>> params) {
}
