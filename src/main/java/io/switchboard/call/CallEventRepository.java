package io.switchboard.call;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.switchboard.db.GroupCommit;
import io.switchboard.db.GroupCommits;
import io.switchboard.db.JsonColumns;
import io.switchboard.reconcile.ReconcileTable;
import io.switchboard.routing.Route;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.CallbackEventRepository;
import io.switchboard.webhook.FormParams;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The call table as Twilio's webhooks reach it, across organizations (Twilio names the call, not the tenant). One
 * statement per callback inserts the event once and upserts the call row by sid, so callbacks and the inbound-call
 * record converge in any order; statements from concurrent callbacks are grouped into one round trip
 * ({@link GroupCommit}). Reads the agent an answered outbound call goes to.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class CallEventRepository {

    /*
     * $1 sid, $2 type, $3 event status, $4 sequence, $5 received at, $6 params, $7 dedupe key, $8 organization of the
     * route (inbound only), $9 id for a new row, $10 from, $11 to, $12 agent, $13 phone number, $14 call status,
     * $15 its rank, $16 error code, $17 answered at, $18 ended at, $19 duration, $20 recording URL, $21 the account
     * that signed the callback: a stored call of another account is neither read nor changed, as if unknown; $22 the
     * providers whose tokens signed it (null: any of the account): a call of another provider is treated the same, so
     * another organization holding a copy of the account's token changes nothing of the owner's calls; $23 the error
     * code's message, which goes with the code.
     *
     * The event takes the organization of the stored call, else the route's; with neither it is kept unowned and
     * claimed when the call row appears. A new row is created only with an organization, from, to and a status;
     * otherwise only an existing row is updated. NOT NULL is checked before ON CONFLICT, so the placeholders in the
     * insert of an update-only write never reach a row.
     */
    static final String UPSERT = """
            with known as (
                select organization_id from call
                 where sid = $1::text and (account_sid is null or account_sid = $21::text)
                   and %3$s
            ), ev as (
                %2$s
                values (coalesce((select organization_id from known), $8::uuid), 'call', $1::text, $2::text, $3::text,
                        $4::int, $5::timestamptz, $6::text::jsonb, $7::text)
                on conflict (dedupe_key) do nothing
                returning organization_id
            ), claimed as (
                update communication_event e set organization_id = ev.organization_id
                  from ev
                 where e.sid = $1::text and e.resource_type = 'call' and e.organization_id is null
                   and ev.organization_id is not null and e.params -> 'AccountSid' ->> 0 = $21::text
            ), up as (
                insert into call as call (id, organization_id, sid, direction, from_number, to_number, agent_id,
                                  phone_number_id, status, error_code, last_sequence, created_at, answered_at, ended_at,
                                  duration_seconds, recording_url, updated_at, account_sid, error_message)
                select $9::uuid, ev.organization_id, $1::text, 'inbound', coalesce($10::text, ''),
                       coalesce($11::text, ''), $12::uuid, $13::uuid, coalesce($14::text, 'queued'), $16::int,
                       $4::int, $5::timestamptz, $17::timestamptz, $18::timestamptz, $19::int, $20::text,
                       $5::timestamptz, $21::text, $23::text
                  from ev
                 where ev.organization_id is not null
                   and (exists (select 1 from known)
                        or ($14::text is not null and $10::text is not null and $11::text is not null))
                on conflict (sid) do update set
                    status = case when %1$s then $14::text else call.status end,
                    error_code = case when %1$s then coalesce($16::int, call.error_code) else call.error_code end,
                    error_message = case when %1$s and $16::int is not null then $23::text
                                         else call.error_message end,
                    last_sequence = greatest(call.last_sequence, $4::int),
                    answered_at = coalesce(call.answered_at, $17::timestamptz),
                    ended_at = coalesce(call.ended_at, $18::timestamptz),
                    duration_seconds = coalesce(call.duration_seconds, $19::int),
                    recording_url = coalesce($20::text, call.recording_url),
                    agent_id = coalesce(call.agent_id, $12::uuid),
                    phone_number_id = coalesce(call.phone_number_id, $13::uuid),
                    account_sid = coalesce(call.account_sid, $21::text),
                    updated_at = $5::timestamptz
                  where (call.account_sid is null or call.account_sid = $21::text) and %3$s
            )
            select count(*) as inserted from ev""".formatted("""
            ($14::text is not null and %1$s < %2$d and $15::int >= %1$s
                             and ($4::int is null or call.last_sequence is null or $4::int > call.last_sequence))"""
            .formatted(CallStatuses.SQL_RANK, CallStatuses.TERMINAL), CallbackEventRepository.INSERT, """
                    ($22::uuid[] is null or coalesce(call.provider_id, (select n.provider_id from phone_number n
                                                                           where n.id = call.phone_number_id)) is null
                         or coalesce(call.provider_id, (select n.provider_id from phone_number n
                                                         where n.id = call.phone_number_id)) = any($22::uuid[]))""");

    /**
     * The call table as reconciliation sees it: unfinished calls, and the provider an outbound call was placed
     * through or the one whose number an inbound call came to.
     */
    static final ReconcileTable RECONCILE = new ReconcileTable("call", CallStatuses.SQL_UNFINISHED,
            "coalesce(t.provider_id, (select n.provider_id from phone_number n where n.id = t.phone_number_id))");

    private final Pool pool;
    private final JsonColumns json;
    private final GroupCommit grouped;

    public CallEventRepository(Pool pool, JsonColumns json, GroupCommits commits) {
        this.pool = pool;
        this.json = json;
        this.grouped = commits.open("call_event", UPSERT, 128, 4);
    }

    /** Stores one callback; completes once committed, with whether it was new (false: a redelivery). */
    Uni<Boolean> store(CallEventWrite write) {
        return grouped.execute(tuple(write)).map(CallEventRepository::inserted);
    }

    /** The parameters of {@link #UPSERT}, in the order its comment lists them. */
    static Tuple tuple(CallEventWrite write) {
        CallbackEvent event = write.event();
        Route route = write.route();
        Route.Agent agent = route == null ? null : route.agent();
        return Tuple.from(new Object[] {
            event.sid(), event.type(), event.status(), event.sequence(), event.receivedAt(), event.params(),
            event.dedupeKey(),
            route == null ? null : route.organizationId(),
            UUID.randomUUID(),
            write.from(), write.to(),
            agent == null ? null : agent.id(),
            route == null ? null : route.numberId(),
            write.status(), CallStatuses.rank(write.status()), write.errorCode(), write.answeredAt(), write.endedAt(),
            write.durationSeconds(), write.recordingUrl(),
            write.accountSid(), write.signedBy(), write.errorMessage()
        });
    }

    /** The agent an answered outbound call goes to, and the account the call was placed in. */
    /**
     * {@code parameters}: the call's own stream parameters (its batch's and its target's, and {@code answeredBy} once
     * answering machine detection said), empty when none.
     */
    record OutboundAnswer(String accountSid, UUID providerId, Route.Agent agent, Map<String, String> parameters) {
    }

    private static final String OUTBOUND_ANSWER = """
            select p.account_sid, p.id as provider_id, c.parameters::text as call_parameters, c.answered_by, %s
              from call c
              join agent a on a.id = c.agent_id
              join phone_number n on n.id = c.phone_number_id
              join provider p on p.id = n.provider_id
             where c.id = $1 and c.direction = 'outbound'""".formatted(Route.Agent.COLUMNS);

    /** Null when no outbound call has this id. */
    Uni<OutboundAnswer> findOutboundAnswer(UUID callId) {
        return pool.preparedQuery(OUTBOUND_ANSWER).execute(Tuple.of(callId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    String stored = row.getString("call_parameters");
                    Map<String, String> parameters = stored == null ? Map.of()
                            : json.read(stored, JsonColumns.STRING_MAP);
                    String answeredBy = row.getString("answered_by");
                    if (answeredBy != null) {
                        parameters = new HashMap<>(parameters);
                        parameters.put("answeredBy", answeredBy);
                    }
                    return new OutboundAnswer(row.getString("account_sid"), row.getUUID("provider_id"),
                            Route.Agent.of(row, json), parameters);
                });
    }

    private static final String AGENT_OF_PROVIDER = """
            select %s
              from agent a
              join provider p on p.organization_id = a.organization_id
             where a.id = $1 and p.id = $2""".formatted(Route.Agent.COLUMNS);

    /**
     * The agent of this id in the organization of this provider: a webhook's, read across organizations by the
     * provider that signed it, so one organization's webhook never reads another's agent. Null when there is none.
     */
    /**
     * An event of a call this service decided on itself (the agent's fallback), in the organization of the provider
     * that signed the webhook about it; stored once under its dedupe key.
     */
    Uni<Void> storeProviderEvent(UUID providerId, String callSid, String type, String status, String paramsJson,
            String dedupeKey) {
        return pool.preparedQuery(CallbackEventRepository.INSERT + """
                select p.organization_id, 'call', $2, $3, $4, null, now(), $5::jsonb, $6
                  from provider p where p.id = $1
                on conflict (dedupe_key) do nothing""")
                .execute(Tuple.from(new Object[] { providerId, callSid, type, status, paramsJson, dedupeKey }))
                .replaceWithVoid();
    }

    Uni<Route.Agent> findAgent(UUID agentId, UUID providerId) {
        return pool.preparedQuery(AGENT_OF_PROVIDER).execute(Tuple.of(agentId, providerId)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Route.Agent.of(it.next(), json) : null;
        });
    }

    /**
     * Gives an outbound call placed by this service the sid of its first callback, which can arrive before the answer
     * to the create (or instead of it, when the create timed out): the callback URL names the call. Only a row of the
     * account and a provider that signed the callback, and only while the row has no sid and no other row has this one.
     */
    Uni<Void> attachOutboundSid(UUID callId, String sid, String accountSid, UUID[] signedBy) {
        return pool.preparedQuery("""
                update call set sid = $2, updated_at = now()
                 where id = $1 and direction = 'outbound' and sid is null and account_sid = $3
                   and ($4::uuid[] is null or provider_id is null or provider_id = any($4::uuid[]))
                   and not exists (select 1 from call k where k.sid = $2)""")
                .execute(Tuple.of(callId, sid, accountSid, signedBy)).replaceWithVoid();
    }

    /**
     * Answered inbound calls, many at once: one statement over arrays (a few thousand rows per second cost PostgreSQL
     * little this way, where one statement per row would not keep up with a busy number). A call to an imported number
     * creates its call row with the webhook's form as its {@code voice-inbound} event, or fills in what an earlier
     * status callback could not know (agent, number, the form): a redelivered webhook finds the form there and changes
     * nothing. The status of an existing row is never touched: any callback is at least as far along as the webhook
     * that started the call. A call to a number nobody here owns is stored as an event with no organization, once
     * under its dedupe key. Status callbacks of inbound calls are owned through the same route, so there is nothing
     * unowned to claim here.
     */
    static final String INBOUND_BULK = """
            with r as (
                select * from unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::uuid[],
                                     $7::uuid[], $8::text[], $9::text[], $10::uuid[], $11::uuid[], $12::text[],
                                     $13::text[])
                    as r(sid, event_status, received_at, params, dedupe_key, organization_id, id, from_number,
                         to_number, agent_id, phone_number_id, status, account_sid)
            ), ev as (
                %s
                select null::uuid, 'call', r.sid, 'voice-inbound', r.event_status, null, r.received_at, r.params::jsonb,
                       r.dedupe_key
                  from r
                 where r.organization_id is null
                on conflict (dedupe_key) do nothing
                returning 1
            ), up as (
                insert into call as call (id, organization_id, sid, direction, from_number, to_number, agent_id,
                                          phone_number_id, status, created_at, updated_at, account_sid, inbound_form,
                                          inbound_received_at)
                select distinct on (r.sid) r.id, r.organization_id, r.sid, 'inbound', coalesce(r.from_number, ''),
                       coalesce(r.to_number, ''), r.agent_id, r.phone_number_id, r.status, r.received_at,
                       r.received_at, r.account_sid, r.params, r.received_at
                  from r
                 where r.organization_id is not null
                 order by r.sid
                on conflict (sid) do update set
                    agent_id = coalesce(call.agent_id, excluded.agent_id),
                    phone_number_id = coalesce(call.phone_number_id, excluded.phone_number_id),
                    account_sid = coalesce(call.account_sid, excluded.account_sid),
                    inbound_form = coalesce(call.inbound_form, excluded.inbound_form),
                    inbound_received_at = coalesce(call.inbound_received_at, excluded.inbound_received_at)
                  where (call.account_sid is null or call.account_sid = excluded.account_sid)
                    and (call.inbound_form is null or call.agent_id is null or call.phone_number_id is null
                         or call.account_sid is null)
            )
            select count(*) from ev""".formatted(CallbackEventRepository.INSERT);

    /**
     * In sid order, like the callback groups, so the two never deadlock on a call row. The {@code params} column
     * carries the form for a call row, and the form as the event's JSON for a call nobody here owns.
     */
    Uni<Void> storeInbound(List<InboundRecord> records) {
        var ordered = new ArrayList<>(records);
        ordered.sort(Comparator.comparing(InboundRecord::sid));
        int n = ordered.size();
        var sid = new String[n];
        var eventStatus = new String[n];
        var receivedAt = new OffsetDateTime[n];
        var params = new String[n];
        var dedupe = new String[n];
        var organization = new UUID[n];
        var id = new UUID[n];
        var from = new String[n];
        var to = new String[n];
        var agent = new UUID[n];
        var number = new UUID[n];
        var status = new String[n];
        var account = new String[n];
        for (int i = 0; i < n; i++) {
            var r = ordered.get(i);
            boolean owned = r.organizationId() != null;
            sid[i] = r.sid();
            eventStatus[i] = owned ? null : r.eventStatus();
            receivedAt[i] = r.receivedAt();
            params[i] = owned ? r.form() : FormParams.parse(r.form()).toJsonString();
            dedupe[i] = r.dedupeKey();
            organization[i] = r.organizationId();
            id[i] = UUID.randomUUID();
            from[i] = r.from();
            to[i] = r.to();
            agent[i] = r.agentId();
            number[i] = r.phoneNumberId();
            status[i] = r.status();
            account[i] = r.accountSid();
        }
        return pool.preparedQuery(INBOUND_BULK).execute(Tuple.from(new Object[] {
            sid, eventStatus, receivedAt, params, dedupe, organization, id, from, to, agent, number, status, account
        })).replaceWithVoid();
    }

    private static boolean inserted(RowSet<Row> rows) {
        var it = rows.iterator();
        return it.hasNext() && it.next().getLong("inserted") > 0;
    }
}
