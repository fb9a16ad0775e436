package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * An answered inbound call waiting to be written: compact (the parameters already encoded), since a burst of calls
 * may hold many of these in memory while the database catches up.
 */
record InboundRecord(String sid, String eventStatus, OffsetDateTime receivedAt, String params, String dedupeKey,
        UUID organizationId, String from, String to, UUID agentId, UUID phoneNumberId, String status,
        String accountSid) {

    static InboundRecord of(VerifiedWebhook webhook, String type, String sid, String eventStatus, Route route,
            String status) {
        var agent = route == null ? null : route.agent();
        return new InboundRecord(CallbackEvent.clean(sid), CallbackEvent.clean(eventStatus),
                OffsetDateTime.now(ZoneOffset.UTC), webhook.params().toJsonString(),
                CallbackEvent.dedupeKey(webhook, type, sid, eventStatus, null),
                route == null ? null : route.organizationId(), CallbackEvent.clean(webhook.param("From")),
                CallbackEvent.clean(webhook.param("To")), agent == null ? null : agent.id(),
                route == null ? null : route.numberId(), status, webhook.accountSid());
    }
}
