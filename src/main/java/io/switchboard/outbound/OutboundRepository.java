package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The writes behind {@code POST /v1/calls}, batch cancels and {@code POST /v1/messages}, on the connection of the
 * caller's transaction. Every query is scoped to the organization.
 */
@ApplicationScoped
public class OutboundRepository {

    /** An imported number a call or message can come from, with the account it belongs to. */
    record Sender(UUID id, String number, UUID providerId, String accountSid) {
    }

    Uni<Boolean> agentExists(SqlClient db, UUID organizationId, UUID agentId) {
        return db.preparedQuery("select 1 from agent where organization_id = $1 and id = $2")
                .execute(Tuple.of(organizationId, agentId))
                .map(rows -> rows.size() > 0);
    }

    /** The number {@code from}, or with none given the agent's oldest number; null when there is none. */
    Uni<Sender> findCallerId(SqlClient db, UUID organizationId, UUID agentId, String from) {
        return db.preparedQuery("""
                select n.id, n.number, n.provider_id, p.account_sid
                  from phone_number n join provider p on p.id = n.provider_id
                 where n.organization_id = $1
                   and (($2::text is not null and n.number = $2::text) or ($2::text is null and n.agent_id = $3))
                 order by n.created_at, n.id limit 1""")
                .execute(Tuple.of(organizationId, from, agentId))
                .map(OutboundRepository::sender);
    }

    /** The number {@code from} (any capability, checked by the caller), or the oldest SMS-capable one. */
    Uni<SenderWithSms> findSmsSender(SqlClient db, UUID organizationId, String from) {
        return db.preparedQuery("""
                select n.id, n.number, n.provider_id, p.account_sid, n.sms
                  from phone_number n join provider p on p.id = n.provider_id
                 where n.organization_id = $1
                   and (($2::text is not null and n.number = $2::text) or ($2::text is null and n.sms))
                 order by n.created_at, n.id limit 1""")
                .execute(Tuple.of(organizationId, from))
                .map(rows -> {
                    var sender = sender(rows);
                    return sender == null ? null
                            : new SenderWithSms(sender, rows.iterator().next().getBoolean("sms"));
                });
    }

    record SenderWithSms(Sender sender, boolean sms) {
    }

    /**
     * The batch and all its calls in three statements whatever its size: the calls go in as two arrays. Creation
     * times step by a microsecond so the calls list, and are placed, in the order of the targets.
     */
    Uni<Void> insertBatch(SqlClient db, UUID organizationId, UUID batchId, UUID agentId, Sender sender,
            UUID[] ids, String[] targets, OffsetDateTime now) {
        var batch = db.preparedQuery("""
                insert into outbound_batch (id, organization_id, agent_id, phone_number_id, size, created_at)
                values ($1, $2, $3, $4, $5, $6)""")
                .execute(Tuple.from(new Object[] { batchId, organizationId, agentId, sender.id(), ids.length, now }));
        var calls = db.preparedQuery("""
                insert into call (id, organization_id, batch_id, direction, from_number, to_number, agent_id,
                                  phone_number_id, status, created_at, updated_at, account_sid, provider_id,
                                  dispatch_state, next_attempt_at)
                select u.id, $1, $2, 'outbound', $3, u.to_number, $4, $5, 'queued',
                       $6::timestamptz + u.n * interval '1 microsecond', $6, $7, $8, 'waiting', $6
                  from unnest($9::uuid[], $10::text[]) with ordinality as u(id, to_number, n)""")
                .execute(Tuple.from(new Object[] {
                    organizationId, batchId, sender.number(), agentId, sender.id(), now, sender.accountSid(),
                    sender.providerId(), ids, targets
                }));
        return batch.chain(() -> calls).chain(() -> ensurePace(db, "call:" + sender.accountSid()));
    }

    /** Marks the batch canceled and cancels its calls not yet handed to Twilio; null when it is not the caller's. */
    Uni<Long> cancelBatch(SqlClient db, UUID organizationId, UUID batchId) {
        // A call being placed right now is locked by its claim: this update waits for it, then sees it is no longer
        // waiting and leaves it alone.
        return db.preparedQuery("""
                with b as (
                    update outbound_batch set canceled_at = coalesce(canceled_at, now())
                     where id = $1 and organization_id = $2
                    returning id
                ), c as (
                    update call set status = 'canceled', dispatch_state = 'done', ended_at = now(), updated_at = now()
                     where batch_id in (select id from b) and organization_id = $2
                       and dispatch_state = 'waiting' and sid is null
                    returning 1
                )
                select (select count(*) from b) as found, (select count(*) from c) as canceled""")
                .execute(Tuple.of(batchId, organizationId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getLong("found") == 0 ? null : row.getLong("canceled");
                });
    }

    Uni<Boolean> isOptedOut(SqlClient db, UUID organizationId, String number) {
        return db.preparedQuery("select 1 from opt_out where organization_id = $1 and number = $2")
                .execute(Tuple.of(organizationId, number))
                .map(rows -> rows.size() > 0);
    }

    Uni<Void> insertMessage(SqlClient db, UUID organizationId, UUID id, Sender sender, String to, String body,
            String encoding, int segments, OffsetDateTime now) {
        var insert = db.preparedQuery("""
                insert into message (id, organization_id, direction, from_number, to_number, body, status, encoding,
                                     segments, created_at, updated_at, account_sid, provider_id, dispatch_state,
                                     next_attempt_at)
                values ($1, $2, 'outbound', $3, $4, $5, 'queued', $6, $7, $8, $8, $9, $10, 'waiting', $8)""")
                .execute(Tuple.from(new Object[] {
                    id, organizationId, sender.number(), to, body, encoding, segments, now, sender.accountSid(),
                    sender.providerId()
                }));
        return insert.chain(() -> ensurePace(db, "sms:" + sender.number()));
    }

    private static Uni<Void> ensurePace(SqlClient db, String key) {
        return db.preparedQuery("insert into outbound_pace (key, next_at) values ($1, now()) on conflict do nothing")
                .execute(Tuple.of(key)).replaceWithVoid();
    }

    private static Sender sender(RowSet<Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return null;
        }
        Row row = it.next();
        return new Sender(row.getUUID("id"), row.getString("number"), row.getUUID("provider_id"),
                row.getString("account_sid"));
    }
}
