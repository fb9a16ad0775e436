package io.switchboard.routing;

import java.util.Map;
import java.util.UUID;

/** What an inbound call to one imported number needs to know, held in memory by the {@link RoutingTable}. */
public record Route(UUID numberId, UUID organizationId, UUID providerId, String number, String accountSid,
        String region, Agent agent) {

    /** The assigned agent; null when the number has none. */
    public record Agent(UUID id, String type, String target, Map<String, String> parameters, boolean recording,
            String transferNumber) {
    }
}
