package io.switchboard.message;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.switchboard.db.GroupCommit;
import io.switchboard.db.GroupCommits;
import io.switchboard.reconcile.ReconcileTable;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.CallbackEventRepository;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Stores message callbacks and inbound SMS, across organizations, each as one statement: the event once (by its
 * dedupe key), and the message row and opt-outs only when the event is new, so a redelivery changes nothing.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class MessageEventRepository {

    /*
     * $1 sid, $2 type, $3 status, $4 received at, $5 params, $6 dedupe key, $7 rank of the status, $8 error code,
     * $9 the account that signed the callback: another account's message is neither read nor changed; $10 the
     * providers whose tokens signed it (null: any of the account): another provider's message is treated the same.
     * A status callback for a message this service does not know is kept unowned; it cannot create the row (the
     * body and sender are not in it).
     */
    static final String STATUS = """
            with known as (
                select organization_id from message
                 where sid = $1::text and (account_sid is null or account_sid = $9::text)
                   and ($10::uuid[] is null or message.provider_id is null or message.provider_id = any($10::uuid[]))
            ), ev as (
                %2$s
                values ((select organization_id from known), 'message', $1::text, $2::text, $3::text, null,
                        $4::timestamptz, $5::text::jsonb, $6::text)
                on conflict (dedupe_key) do nothing
                returning organization_id
            ), up as (
                update message set status = $3::text, error_code = coalesce($8::int, message.error_code),
                                   updated_at = $4::timestamptz
                  from ev
                 where message.sid = $1::text and ev.organization_id is not null
                   and (message.account_sid is null or message.account_sid = $9::text)
                   and ($10::uuid[] is null or message.provider_id is null or message.provider_id = any($10::uuid[]))
                   and $7::int is not null and $7::int > %1$s
            )
            select count(*) as inserted from ev""".formatted(MessageStatuses.SQL_RANK, CallbackEventRepository.INSERT);

    /*
     * $1 sid, $2 received at, $3 params, $4 dedupe key, $5 organization (null: number not imported), $6 id,
     * $7 from, $8 to, $9 body, $10 encoding, $11 segments, $12 opt-out action: 'stop', 'start' or '', $13 account.
     */
    static final String INBOUND = """
            with ev as (
                %s
                values ($5::uuid, 'message', $1::text, 'sms-inbound', 'received', null, $2::timestamptz,
                        $3::text::jsonb, $4::text)
                on conflict (dedupe_key) do nothing
                returning organization_id
            ), msg as (
                insert into message (id, organization_id, sid, direction, from_number, to_number, body, status,
                                     encoding, segments, created_at, updated_at, account_sid)
                select $6::uuid, ev.organization_id, $1::text, 'inbound', coalesce($7::text, ''),
                       coalesce($8::text, ''), coalesce($9::text, ''), 'received',
                       $10::text, $11::int, $2::timestamptz, $2::timestamptz, $13::text
                  from ev where ev.organization_id is not null
                on conflict (sid) do nothing
            ), stopped as (
                insert into do_not_contact (organization_id, number, source, created_at)
                select ev.organization_id, $7::text, 'stop', $2::timestamptz
                  from ev
                 where ev.organization_id is not null and $7::text is not null and $12::text = 'stop'
                on conflict do nothing
            ), started as (
                delete from do_not_contact o using ev
                 where o.organization_id = ev.organization_id and o.number = $7::text and $12::text = 'start'
                   and o.source = 'stop'
            )
            select count(*) as inserted from ev""".formatted(CallbackEventRepository.INSERT);

    /** The message table as reconciliation sees it: unfinished messages, and the provider each was sent through. */
    static final ReconcileTable RECONCILE = new ReconcileTable("message", MessageStatuses.SQL_UNFINISHED,
            "t.provider_id");

    /** What an inbound SMS writes. */
    record Inbound(CallbackEvent event, String accountSid, UUID organizationId, String from, String to, String body,
            Integer segments, OptOutWords word) {
    }

    private final Pool pool;
    private final GroupCommit statuses;
    private final GroupCommit inbound;

    public MessageEventRepository(Pool pool, GroupCommits commits) {
        this.pool = pool;
        this.statuses = commits.open("message_status", STATUS, 128, 4);
        this.inbound = commits.open("message_inbound", INBOUND, 128, 4);
    }

    /**
     * Completes once committed, with whether the callback was new. {@code signedBy}: the providers whose tokens signed
     * it, null when not restricted (a status Twilio reported when asked).
     */
    Uni<Boolean> storeStatus(CallbackEvent event, String accountSid, UUID[] signedBy, Integer errorCode) {
        return statuses.execute(Tuple.from(new Object[] {
            event.sid(), event.type(), event.status(), event.receivedAt(), event.params(), event.dedupeKey(),
            MessageStatuses.rank(event.status()), errorCode, accountSid, signedBy
        })).map(MessageEventRepository::inserted);
    }

    /**
     * Gives an outbound message sent by this service the sid of its status callback, whose URL names the message: the
     * callback can be the only news of a send whose answer was lost. Only for the account and a provider that signed
     * it.
     */
    Uni<Void> attachOutboundSid(UUID messageId, String sid, String accountSid, UUID[] signedBy) {
        return pool.preparedQuery("""
                update message set sid = $2, updated_at = now()
                 where id = $1 and direction = 'outbound' and sid is null and account_sid = $3
                   and ($4::uuid[] is null or provider_id is null or provider_id = any($4::uuid[]))
                   and not exists (select 1 from message k where k.sid = $2)""")
                .execute(Tuple.of(messageId, sid, accountSid, signedBy)).replaceWithVoid();
    }

    /** Completes once committed, with whether the SMS was new (false: Twilio redelivered it). */
    Uni<Boolean> storeInbound(Inbound sms) {
        var event = sms.event();
        String action = switch (sms.word()) {
            case STOP -> "stop";
            case START -> "start";
            default -> "";
        };
        return inbound.execute(Tuple.from(new Object[] {
            event.sid(), event.receivedAt(), event.params(), event.dedupeKey(), sms.organizationId(),
            UUID.randomUUID(), sms.from(), sms.to(), sms.body(), SmsEncoding.of(sms.body()), sms.segments(), action,
            sms.accountSid()
        })).map(MessageEventRepository::inserted);
    }

    private static boolean inserted(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() && it.next().getLong("inserted") > 0;
    }
}
