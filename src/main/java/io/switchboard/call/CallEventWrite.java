package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.webhook.CallbackEvent;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * What one call callback writes: its event, and the facts it brings to the call row.
 *
 * @param accountSid the account that signed the callback: only its own calls are touched
 * @param route the imported number an inbound call came to (organization, agent, number), or null
 * @param status a CallStatus the call table accepts, or null when the callback says nothing about it
 */
record CallEventWrite(CallbackEvent event, String accountSid, Route route, String from, String to, String status,
        Integer errorCode, OffsetDateTime answeredAt, OffsetDateTime endedAt, Integer durationSeconds,
        String recordingUrl) {

    Tuple toTuple() {
        var agent = route == null ? null : route.agent();
        return Tuple.from(new Object[] {
            event.sid(), event.type(), event.status(), event.sequence(), event.receivedAt(), event.params(),
            event.dedupeKey(),
            route == null ? null : route.organizationId(),
            UUID.randomUUID(),
            from, to,
            agent == null ? null : agent.id(),
            route == null ? null : route.numberId(),
            status, CallStatuses.rank(status), errorCode, answeredAt, endedAt, durationSeconds, recordingUrl,
            accountSid
        });
    }
}
