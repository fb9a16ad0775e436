package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.db.JsonColumns;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.routing.Route;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.webhook.CallbackEventRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** The transfer columns of a call and its transfer events. */
@ApplicationScoped
public class CallTransferRepository {

    /** A call's provider: its own, or for a call recorded without one, its number's. */
    private static final String CONTEXT = """
            select c.id, c.organization_id, c.sid, c.direction, c.from_number, c.to_number, c.status,
                   c.transfer_status, c.account_sid, pr.id as provider_id, pr.enable_transfers, %s, %s
              from call c
              left join phone_number n on n.id = c.phone_number_id
              left join provider pr on pr.id = coalesce(c.provider_id, n.provider_id)
              left join agent a on a.id = c.agent_id
             where c.organization_id = $1""".formatted(ProviderCredentials.JOINED_COLUMNS, Route.Agent.COLUMNS);

    /**
     * What a transfer webhook needs: who may sign it, where the caller goes when the target does not answer, and for
     * a warm transfer its target's leg (null until Twilio named it) and the provider's credentials (null when gone), for
     * the holds, announcements and hang-ups the conference's events call for.
     */
    record Dialed(UUID organizationId, String sid, String accountSid, UUID providerId, String transferStatus,
            boolean backToAgent, String announcement, Route.Agent agent, String mode, String targetSid,
            TwilioCredentials credentials, String from, String to) {

        boolean isWarm() {
            return TransferRequest.WARM.equals(mode);
        }
    }

    private final Pool pool;
    private final ProviderCredentials credentials;
    private final JsonColumns json;

    public CallTransferRepository(Pool pool, ProviderCredentials credentials, JsonColumns json) {
        this.pool = pool;
        this.credentials = credentials;
        this.json = json;
    }

    /** Null when the organization has no such call. */
    Uni<TransferContext> context(UUID organizationId, UUID callId) {
        return pool.preparedQuery(CONTEXT + " and c.id = $2").execute(Tuple.of(organizationId, callId))
                .map(rows -> rows.iterator().hasNext() ? context(rows.iterator().next()) : null);
    }

    /**
     * The call Twilio knows by this CallSid in this account, whichever organization's it is; null when there is none.
     * For a webhook about the call, whose signature names the account.
     */
    Uni<TransferContext> contextOfSid(String accountSid, String sid) {
        return pool.preparedQuery(CONTEXT.replace("where c.organization_id = $1",
                "where c.account_sid = $1 and c.sid = $2")).execute(Tuple.of(accountSid, sid))
                .map(rows -> rows.iterator().hasNext() ? context(rows.iterator().next()) : null);
    }

    /** The organization's call with this Twilio CallSid; null when it has none. */
    Uni<UUID> idOfSid(UUID organizationId, String sid) {
        return pool.preparedQuery("select id from call where organization_id = $1 and sid = $2")
                .execute(Tuple.of(organizationId, sid))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getUUID("id") : null);
    }

    private TransferContext context(Row row) {
        UUID providerId = row.getUUID("provider_id");
        return new TransferContext(row.getUUID("id"), row.getUUID("organization_id"), row.getString("sid"),
                row.getString("direction"),
                row.getString("from_number"), row.getString("to_number"), row.getString("status"),
                row.getString("transfer_status"), row.getString("account_sid"), providerId,
                providerId != null && Boolean.TRUE.equals(row.getBoolean("enable_transfers")),
                providerId == null ? null : credentials.fromJoinedRow(row), Route.Agent.of(row, json));
    }

    /** The transfer is placed: the target is being called. */
    Uni<Void> markDialing(UUID callId, TransferRequest.Valid transfer) {
        return pool.preparedQuery("""
                update call set transferred_to = $2, transfer_mode = $3, transfer_status = 'dialing',
                                transfer_reason = null, transfer_on_failure = $4, transfer_requested_at = now(),
                                transfer_announcement = $5, transfer_target_sid = null, updated_at = now()
                 where id = $1""")
                .execute(Tuple.of(callId, transfer.to(), transfer.mode(), transfer.backToAgent() ? "agent" : "hangup",
                        transfer.announcement()))
                .replaceWithVoid();
    }

    /** A warm transfer's target leg, as Twilio named it when the target was added to the conference. */
    Uni<Void> markTarget(UUID callId, String targetSid) {
        return pool.preparedQuery("update call set transfer_target_sid = $2, updated_at = now() where id = $1")
                .execute(Tuple.of(callId, targetSid)).replaceWithVoid();
    }

    /**
     * The transfer moves on, only forward from {@code dialing}: a late or redelivered callback never undoes an
     * outcome. {@code reason}: Twilio's status or error code, for a failure.
     */
    Uni<Void> markOutcome(UUID callId, String status, String reason) {
        return pool.preparedQuery("""
                update call set transfer_status = $2, transfer_reason = $3, updated_at = now()
                 where id = $1 and transfer_status = 'dialing'""")
                .execute(Tuple.of(callId, status, reason)).replaceWithVoid();
    }

    /** Null when no call has this id. */
    Uni<Dialed> dialed(UUID callId) {
        return pool.preparedQuery("""
                select c.organization_id, c.sid, c.account_sid, c.transfer_status, c.transfer_on_failure,
                       c.transfer_announcement, c.transfer_mode, c.transfer_target_sid, c.from_number, c.to_number,
                       pr.id as provider_id, %s, %s
                  from call c
                  left join phone_number n on n.id = c.phone_number_id
                  left join provider pr on pr.id = coalesce(c.provider_id, n.provider_id)
                  left join agent a on a.id = c.agent_id
                 where c.id = $1""".formatted(ProviderCredentials.JOINED_COLUMNS, Route.Agent.COLUMNS))
                .execute(Tuple.of(callId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    UUID providerId = row.getUUID("provider_id");
                    return new Dialed(row.getUUID("organization_id"), row.getString("sid"),
                            row.getString("account_sid"), providerId,
                            row.getString("transfer_status"), !"hangup".equals(row.getString("transfer_on_failure")),
                            row.getString("transfer_announcement"), Route.Agent.of(row, json),
                            row.getString("transfer_mode"), row.getString("transfer_target_sid"),
                            providerId == null ? null : credentials.fromJoinedRow(row), row.getString("from_number"),
                            row.getString("to_number"));
                });
    }

    /** An event of the call's transfer, shown with the call's events; stored once under its dedupe key. */
    Uni<Void> storeEvent(UUID organizationId, String callSid, String type, String status, String paramsJson,
            String dedupeKey) {
        return pool.preparedQuery(CallbackEventRepository.INSERT + """
                values ($1, 'call', $2, $3, $4, null, now(), $5::jsonb, $6)
                on conflict (dedupe_key) do nothing""")
                .execute(Tuple.from(new Object[] { organizationId, callSid, type, status, paramsJson, dedupeKey }))
                .replaceWithVoid();
    }
}
