package io.switchboard.call;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A call as the API shows it; {@code skipReason} says why an outbound call ended canceled without being placed
 * ({@code do_not_contact}, {@code agent_deleted}, {@code caller_id_deleted}), null otherwise.
 */
public record CallView(UUID id, UUID batchId, String sid, String direction, String from, String to, UUID agentId,
        String status, Integer errorCode, Instant createdAt, Instant answeredAt, Instant endedAt,
        Integer durationSeconds, String recordingUrl, String skipReason) {

    static final String COLUMNS = """
            id, batch_id, sid, direction, from_number, to_number, agent_id, status, error_code, created_at,
            answered_at, ended_at, duration_seconds, recording_url, skip_reason""";

    static CallView of(Row row) {
        return new CallView(row.getUUID("id"), row.getUUID("batch_id"), row.getString("sid"),
                row.getString("direction"), row.getString("from_number"), row.getString("to_number"),
                row.getUUID("agent_id"), row.getString("status"), row.getInteger("error_code"),
                instant(row.getOffsetDateTime("created_at")), instant(row.getOffsetDateTime("answered_at")),
                instant(row.getOffsetDateTime("ended_at")), row.getInteger("duration_seconds"),
                row.getString("recording_url"), row.getString("skip_reason"));
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
