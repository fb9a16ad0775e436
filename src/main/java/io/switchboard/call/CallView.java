package io.switchboard.call;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A call as the API shows it; {@code skipReason} says why an outbound call ended canceled without being placed
 * ({@code do_not_contact}, {@code agent_deleted}, {@code caller_id_deleted}), null otherwise. An outbound call of a
 * batch is one {@code attempt} (from 1) at its target, {@code targetId} the id of the target's first call; both are
 * null for other calls. {@code errorMessage} goes with {@code errorCode}: Twilio's message, or what the code means.
 * {@code answeredBy} is Twilio's AnsweredBy when answering machine detection ran.
 * {@code transferredTo}, {@code transferStatus} (dialing, connected, failed) and {@code transferReason} (Twilio's
 * DialCallStatus or error code of a failure) describe the call's last transfer; null when it was never transferred.
 */
public record CallView(UUID id, UUID batchId, String sid,
        @Schema(enumeration = {
            "inbound", "outbound" }) String direction,
        String from, String to, UUID agentId,
        @Schema(enumeration = { "queued", "initiated", "ringing", "in-progress", "completed", "busy", "no-answer",
            "failed", "canceled" }) String status,
        Integer errorCode, String errorMessage, Instant createdAt, Instant answeredAt, Instant endedAt,
        Integer durationSeconds, String recordingUrl,
        @Schema(enumeration = { "do_not_contact", "agent_deleted", "caller_id_deleted" },
                nullable = true) String skipReason,
        UUID targetId, Integer attempt,
        // Twilio's value as it came (not checked here, so not an enum a client could refuse a new value by).
        @Schema(description = "Twilio's AnsweredBy, as Twilio sent it: human, machine_start, machine_end_beep, "
                + "machine_end_silence, machine_end_other, fax or unknown.", nullable = true) String answeredBy,
        String transferredTo,
        @Schema(enumeration = { "dialing", "connected", "failed" }, nullable = true) String transferStatus,
        String transferReason) {

    static final String COLUMNS =
            """
                    id, batch_id, sid, direction, from_number, to_number, agent_id, status, error_code, error_message, created_at,
                    answered_at, ended_at, duration_seconds, recording_url, skip_reason, target_id, attempt, answered_by,
                    transferred_to, transfer_status, transfer_reason""";

    static CallView of(Row row) {
        return new CallView(row.getUUID("id"), row.getUUID("batch_id"), row.getString("sid"),
                row.getString("direction"), row.getString("from_number"), row.getString("to_number"),
                row.getUUID("agent_id"), row.getString("status"), row.getInteger("error_code"),
                row.getString("error_message"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("answered_at")),
                instant(row.getOffsetDateTime("ended_at")), row.getInteger("duration_seconds"),
                row.getString("recording_url"), row.getString("skip_reason"), row.getUUID("target_id"),
                row.getUUID("target_id") == null ? null : row.getInteger("attempt"), row.getString("answered_by"),
                row.getString("transferred_to"), row.getString("transfer_status"), row.getString("transfer_reason"));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
