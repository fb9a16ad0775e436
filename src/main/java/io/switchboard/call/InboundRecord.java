package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.webhook.CallbackEvent;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * An answered inbound call waiting to be written: compact (the parameters already encoded), since a burst of calls
 * may hold many of these in memory while the database catches up.
 */
record InboundRecord(String sid, String eventStatus, OffsetDateTime receivedAt, String params, String dedupeKey,
        UUID organizationId, String from, String to, UUID agentId, UUID phoneNumberId, String status,
        String accountSid) {

    static InboundRecord of(CallbackEvent event, Route route, String from, String to, String status,
            String accountSid) {
        var agent = route == null ? null : route.agent();
        return new InboundRecord(event.sid(), event.status(), event.receivedAt(), event.params().encode(),
                event.dedupeKey(), route == null ? null : route.organizationId(), from, to,
                agent == null ? null : agent.id(), route == null ? null : route.numberId(), status, accountSid);
    }
}
