package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** What answering machine detection found on an outbound call, and what its batch does about a machine. */
@ApplicationScoped
class AnsweringMachineRepository {

    /** The call as it stood when its AnsweredBy was recorded, with its batch's machine handling (null: none). */
    record Detected(UUID providerId, String status, String fromNumber, String toNumber, String machineDetection,
            String voicemailSay, String voicemailPlay) {
    }

    // Only the first result is recorded (and acted on): a redelivery, or a copy on another replica, finds it set.
    // Only a call of the account, and the providers, that signed the callback.
    private static final String RECORD = """
            with c as (
                update call set answered_by = $4, updated_at = now()
                 where id = $1 and sid = $2 and account_sid = $3 and direction = 'outbound' and answered_by is null
                   and ($5::uuid[] is null or provider_id is null or provider_id = any($5::uuid[]))
                returning provider_id, status, from_number, to_number, batch_id
            )
            select c.provider_id, c.status, c.from_number, c.to_number, b.machine_detection, b.voicemail_say,
                   b.voicemail_play
              from c left join outbound_batch b on b.id = c.batch_id""";

    private final Pool pool;

    AnsweringMachineRepository(Pool pool) {
        this.pool = pool;
    }

    /** Records {@code answeredBy}; null when the call is not this account's or its result was recorded already. */
    Uni<Detected> record(UUID callId, String sid, String accountSid, UUID[] signedBy, String answeredBy) {
        return pool.preparedQuery(RECORD)
                .execute(Tuple.from(new Object[] { callId, sid, accountSid, answeredBy, signedBy }))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Detected(row.getUUID("provider_id"), row.getString("status"),
                            row.getString("from_number"), row.getString("to_number"),
                            row.getString("machine_detection"), row.getString("voicemail_say"),
                            row.getString("voicemail_play"));
                });
    }
}
