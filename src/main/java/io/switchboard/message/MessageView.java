package io.switchboard.message;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A message as the API shows it, sent ({@code outbound}) or received ({@code inbound}); {@code skipReason} says why a
 * message ended canceled without being sent ({@code do_not_contact}), null otherwise. {@code callId} is the call it was
 * sent during ({@code POST /v1/calls/{id}/messages}), null for any other message.
 */
public record MessageView(UUID id,
        @Schema(enumeration = {
            "inbound", "outbound" }) String direction,
        String to, String from, String body,
        @Schema(enumeration = { "accepted", "scheduled", "queued", "sending", "sent", "receiving",
            "partially_delivered", "delivered", "undelivered", "failed", "canceled", "received",
            "read" }, description = "Twilio's message status; received for an inbound message.") String status,
        @Schema(enumeration = { "GSM-7", "UCS-2" }) String encoding,
        Integer segments, String sid, Integer errorCode, Instant createdAt,
        @Schema(enumeration = { "do_not_contact" }, nullable = true) String skipReason,
        UUID callId) {

    static final String COLUMNS = """
            id, direction, to_number, from_number, body, status, encoding, segments, sid, error_code, created_at,
            skip_reason, call_id""";

    static MessageView of(Row row) {
        return new MessageView(row.getUUID("id"), row.getString("direction"), row.getString("to_number"),
                row.getString("from_number"), row.getString("body"), row.getString("status"),
                row.getString("encoding"), row.getInteger("segments"), row.getString("sid"),
                row.getInteger("error_code"), row.getOffsetDateTime("created_at").toInstant(),
                row.getString("skip_reason"), row.getUUID("call_id"));
    }
}
