package io.switchboard.simulator;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** A message and the state its lifecycle moves through. */
final class SimMessage {

    final String sid = Sids.next("SM");
    final String accountSid;
    final String from;
    final String to;
    final String body;
    final String messagingServiceSid;
    final String direction;
    final int segments;
    final Instant created = Instant.now();
    final CompletableFuture<SimulatedMessage> finished = new CompletableFuture<>();
    String statusCallback;
    String status;
    Instant updated = created;
    Instant sent;
    Integer errorCode;

    SimMessage(String accountSid, String from, String to, String body, String messagingServiceSid, String direction,
            String status) {
        this.accountSid = accountSid;
        this.from = from;
        this.to = to;
        this.body = body;
        this.messagingServiceSid = messagingServiceSid;
        this.direction = direction;
        this.status = status;
        this.segments = SmsSegments.count(body);
    }

    void moveTo(String newStatus) {
        status = newStatus;
        updated = Instant.now();
        if ("sent".equals(newStatus)) {
            sent = updated;
        }
    }

    /** Under the message's lock, which every change to it holds too. */
    synchronized SimulatedMessage snapshot() {
        return new SimulatedMessage(sid, accountSid, from, to, body, direction, status, segments, errorCode, created);
    }

    JsonObject toJson() {
        String uri = "/2010-04-01/Accounts/" + accountSid + "/Messages/" + sid;
        return new JsonObject()
                .put("body", body)
                .put("num_segments", Integer.toString(segments))
                .put("direction", direction)
                .put("from", from)
                .put("to", to)
                .put("date_updated", Sids.rfc2822(updated))
                .put("price", null)
                .put("error_message", null)
                .put("uri", uri + ".json")
                .put("account_sid", accountSid)
                .put("num_media", "0")
                .put("status", status)
                .put("messaging_service_sid", messagingServiceSid)
                .put("sid", sid)
                .put("date_sent", Sids.rfc2822(sent))
                .put("date_created", Sids.rfc2822(created))
                .put("error_code", errorCode)
                .put("price_unit", "USD")
                .put("api_version", "2010-04-01")
                .put("subresource_uris", new JsonObject().put("media", uri + "/Media.json")
                        .put("feedback", uri + "/Feedback.json"));
    }
}
