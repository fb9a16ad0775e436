package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.CallFilter;
import io.switchboard.twilio.CallRequest;
import io.switchboard.twilio.TwilioCall;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Places queued outbound calls, each at most once.
 * <p>
 * The never-twice rule: a call is sent to Twilio only from {@code waiting}, and a claim moves it to {@code placing}
 * first. Only an answer that proves Twilio did nothing (429 / 20429, no connection, breaker open) returns it to
 * {@code waiting}. A 5xx or timeout on the create, or a claim whose lease ran out (its replica died mid-create), makes
 * it {@code ambiguous}: then it is reconciled, by the sid a status callback attaches (its URL names the call) or by
 * listing the account's calls To and From the same numbers and adopting an outbound call no row owns yet. Only when
 * nothing turned up for the whole grace period ({@code switchboard.outbound.reconcile-grace}) is it sent again, once;
 * a second ambiguous attempt that stays unfound ends {@code failed}. Two calls of one batch to the same target may
 * adopt each other's call; each Twilio call is adopted by one row only.
 */
@ApplicationScoped
class CallDispatch {

    private static final Logger LOG = Logger.getLogger(CallDispatch.class);
    private static final List<String> CALL_EVENTS = List.of("initiated", "ringing", "answered", "completed");
    private static final List<String> RECORDING_EVENTS = List.of("completed", "absent");
    private static final int RECONCILE_LIST_LIMIT = 50;

    /* $1 pace interval (ms), $2 accounts per tick, $3 lease (ms). One call per account per tick. */
    static final String CLAIM = """
            with acct as (
                select p.key, substr(p.key, 6) as account_sid
                  from outbound_pace p
                 where p.key like 'call:%%' and p.next_at <= now()
                   and exists (select 1 from call w
                                where w.dispatch_state = 'waiting' and w.account_sid = substr(p.key, 6)
                                  and w.next_attempt_at <= now())
                 order by p.next_at
                 limit $2
                   for update skip locked
            ), picked as (
                select w.id, acct.key
                  from acct cross join lateral (
                      select c.id from call c
                       where c.dispatch_state = 'waiting' and c.account_sid = acct.account_sid
                         and c.next_attempt_at <= now()
                       order by c.next_attempt_at, c.created_at
                       limit 1
                         for update skip locked) w
            ), claimed as (
                update call c set dispatch_state = 'placing', claimed_until = now() + $3 * interval '1 millisecond',
                       attempts = c.attempts + 1, attempted_at = now(), updated_at = now()
                  from picked
                 where c.id = picked.id
                returning c.id, c.to_number, c.from_number, c.agent_id, c.provider_id, c.account_sid, c.attempts
            ), paced as (
                update outbound_pace p set next_at = now() + $1 * interval '1 millisecond'
                  from picked
                 where p.key = picked.key
            )
            select cl.*, a.recording, %s
              from claimed cl
              left join agent a on a.id = cl.agent_id
              left join provider pr on pr.id = cl.provider_id""".formatted(ProviderColumns.SELECT);

    /* $1 rows, $2 lease (ms). Ambiguous rows that are due, and placing rows whose lease ran out. */
    static final String RECHECK = """
            with due as (
                select id from call
                 where dispatch_state in ('placing', 'ambiguous') and next_attempt_at <= now()
                   and (claimed_until is null or claimed_until < now())
                 order by next_attempt_at
                 limit $1
                   for update skip locked
            ), claimed as (
                update call c set dispatch_state = 'ambiguous', ambiguous_at = coalesce(c.ambiguous_at, now()),
                       claimed_until = now() + $2 * interval '1 millisecond', updated_at = now()
                  from due
                 where c.id = due.id
                returning c.id, c.sid, c.to_number, c.from_number, c.provider_id, c.account_sid, c.batch_id,
                          c.ambiguous_at, c.resends, c.attempted_at
            )
            select cl.*, (select b.canceled_at from outbound_batch b where b.id = cl.batch_id) as canceled_at,
                   now() - cl.ambiguous_at >= $3 * interval '1 millisecond' as grace_over, %s
              from claimed cl
              left join provider pr on pr.id = cl.provider_id""".formatted(ProviderColumns.SELECT);

    private final Pool pool;
    private final TwilioClient twilio;
    private final ProviderCredentials credentials;
    private final WebhookUrls urls;
    private final OutboundConfig config;

    CallDispatch(Pool pool, TwilioClient twilio, ProviderCredentials credentials, WebhookUrls urls, OutboundConfig config) {
        this.pool = pool;
        this.twilio = twilio;
        this.credentials = credentials;
        this.urls = urls;
        this.config = config;
    }

    /** Claims the calls due now, one per account, and starts placing each; completes once they are claimed. */
    Uni<Integer> placeDue() {
        long paceMs = Math.max(1, Math.round(1000 / config.callsPerSecond()));
        return ProviderColumns.claimAndStart(pool, CLAIM,
                Tuple.of(paceMs, config.claimLimit(), config.lease().toMillis()), this::place, "outbound call",
                "storing the outcome");
    }

    Uni<Integer> recheckDue() {
        return ProviderColumns.claimAndStart(pool, RECHECK,
                Tuple.of(config.claimLimit(), config.lease().toMillis(), config.reconcileGrace().toMillis()),
                this::reconcile, "outbound call", "reconciling");
    }

    private Uni<Void> place(Row row) {
        UUID id = row.getUUID("id");
        TwilioCredentials creds = ProviderColumns.credentials(row, credentials, "outbound call");
        if (creds == null) {
            return fail(id, null, "the provider of this call is gone or its credentials cannot be read");
        }
        var request = CallRequest.of(row.getString("to_number"), row.getString("from_number"),
                urls.voiceOutbound(id.toString()))
                .withStatusCallback(urls.voiceStatus() + "?callId=" + id, "POST", CALL_EVENTS);
        if ("on".equals(row.getString("recording"))) {
            request = request.withRecording(urls.recordingStatus(), RECORDING_EVENTS);
        }
        LOG.infof("outbound call %s: placing to %s (attempt %d)", id, PhoneNumbers.redact(row.getString("to_number")),
                row.getInteger("attempts"));
        return twilio.createCall(creds, request)
                .onItemOrFailure().transformToUni((call, failure) -> failure == null
                        ? placed(id, call)
                        : failed(id, row.getInteger("attempts"), failure));
    }

    private Uni<Void> placed(UUID id, TwilioCall call) {
        LOG.infof("outbound call %s: placed as %s", id, call.sid());
        return pool.preparedQuery("""
                update call set sid = coalesce(sid, $2),
                       status = case when status = 'queued' then 'initiated' else status end,
                       dispatch_state = 'done', claimed_until = null, dispatch_error = null, updated_at = now()
                 where id = $1""").execute(Tuple.of(id, call.sid())).replaceWithVoid();
    }

    private Uni<Void> failed(UUID id, int attempts, Throwable failure) {
        return switch (Failure.of(failure)) {
            case RETRY -> {
                Duration wait = retryAfter(failure, attempts);
                LOG.warnf("outbound call %s: not processed by Twilio (%s); again in %d ms", id, failure.getMessage(),
                        wait.toMillis());
                // A batch canceled while the call was being placed is not placed later.
                yield pool.preparedQuery("""
                        update call c set
                               dispatch_state = case when b.canceled_at is null then 'waiting' else 'done' end,
                               status = case when b.canceled_at is null then c.status else 'canceled' end,
                               ended_at = case when b.canceled_at is null then c.ended_at else now() end,
                               next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                               dispatch_error = $3, updated_at = now()
                          from (select (select canceled_at from outbound_batch where id = x.batch_id) as canceled_at
                                  from call x where x.id = $1) b
                         where c.id = $1 and c.sid is null""")
                        .execute(Tuple.of(id, wait.toMillis(), failure.getMessage())).replaceWithVoid();
            }
            case AMBIGUOUS -> {
                LOG.warnf("outbound call %s: Twilio may have created it (%s); reconciling, not resending", id,
                        failure.getMessage());
                yield pool.preparedQuery("""
                        update call set dispatch_state = 'ambiguous', ambiguous_at = coalesce(ambiguous_at, now()),
                               next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                               dispatch_error = $3, updated_at = now()
                         where id = $1 and dispatch_state = 'placing'""")
                        .execute(Tuple.of(id, config.recheckInterval().toMillis(), failure.getMessage()))
                        .replaceWithVoid();
            }
            case PERMANENT -> fail(id, Failure.code(failure), failure.getMessage());
        };
    }

    private Uni<Void> fail(UUID id, Integer code, String error) {
        LOG.warnf("outbound call %s: failed (%s)", id, code);
        return pool.preparedQuery("""
                update call set status = 'failed', error_code = $2, dispatch_state = 'done', claimed_until = null,
                       dispatch_error = $3, ended_at = now(), updated_at = now()
                 where id = $1 and sid is null""").execute(Tuple.of(id, code, error)).replaceWithVoid();
    }

    private Uni<Void> reconcile(Row row) {
        UUID id = row.getUUID("id");
        if (row.getString("sid") != null) {
            // A status callback named the call before the create's answer came back.
            return placed(id, new TwilioCall(row.getString("sid"), null, null, null, null, null, null, null));
        }
        TwilioCredentials creds = ProviderColumns.credentials(row, credentials, "outbound call");
        if (creds == null) {
            return fail(id, null, "the provider of this call is gone; whether Twilio placed it is unknown");
        }
        var filter = new CallFilter(row.getString("to_number"), row.getString("from_number"), null, null,
                RECONCILE_LIST_LIMIT);
        OffsetDateTime notBefore = createdNotBefore(row.getOffsetDateTime("attempted_at"));
        return twilio.listCalls(creds, filter)
                .chain(calls -> adopt(id, calls.stream()
                        .filter(c -> c.direction() == null || c.direction().startsWith("outbound"))
                        .filter(c -> c.parentCallSid() == null)
                        .filter(c -> createdInTime(c, notBefore))
                        .map(TwilioCall::sid).toList()))
                .chain(adopted -> {
                    if (adopted != null) {
                        LOG.infof("outbound call %s: the ambiguous create exists as %s; adopted", id, adopted);
                        return Uni.createFrom().voidItem();
                    }
                    return notFound(row);
                })
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("outbound call %s: could not list the account's calls (%s); checking again later", id,
                            failure.getMessage());
                    return recheckLater(id);
                });
    }

    /**
     * The earliest creation time a call made by this row's latest create can have: Twilio reports it to the second,
     * and its clock may differ from the database's by up to {@code switchboard.outbound.clock-skew}. Null for a row
     * claimed before attempts were timed, which is matched on its numbers alone.
     */
    private OffsetDateTime createdNotBefore(OffsetDateTime attemptedAt) {
        return attemptedAt == null ? null
                : attemptedAt.truncatedTo(ChronoUnit.SECONDS).minus(config.clockSkew());
    }

    private static boolean createdInTime(TwilioCall call, OffsetDateTime notBefore) {
        return notBefore == null || call.dateCreated() == null || !call.dateCreated().isBefore(notBefore);
    }

    /** Attaches the oldest listed sid that no row owns; null when there is none. */
    private Uni<String> adopt(UUID id, List<String> sids) {
        if (sids.isEmpty()) {
            return Uni.createFrom().nullItem();
        }
        return pool.preparedQuery("""
                update call c set sid = x.sid,
                       status = case when c.status = 'queued' then 'initiated' else c.status end,
                       dispatch_state = 'done', claimed_until = null, updated_at = now()
                  from (select s.sid from unnest($2::text[]) with ordinality as s(sid, n)
                         where not exists (select 1 from call k where k.sid = s.sid)
                         order by s.n desc limit 1) x
                 where c.id = $1 and c.sid is null
                returning c.sid""").execute(Tuple.of(id, sids.toArray(String[]::new)))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getString("sid") : null);
    }

    private Uni<Void> notFound(Row row) {
        UUID id = row.getUUID("id");
        if (!Boolean.TRUE.equals(row.getBoolean("grace_over"))) {
            return recheckLater(id);
        }
        if (row.getOffsetDateTime("canceled_at") != null) {
            LOG.infof("outbound call %s: never created, and its batch is canceled", id);
            return pool.preparedQuery("""
                    update call set status = 'canceled', dispatch_state = 'done', claimed_until = null,
                           ended_at = now(), updated_at = now()
                     where id = $1 and sid is null""").execute(Tuple.of(id)).replaceWithVoid();
        }
        if (row.getInteger("resends") == 0) {
            LOG.warnf("outbound call %s: not in Twilio after the grace period; sending it once more", id);
            return pool.preparedQuery("""
                    update call set dispatch_state = 'waiting', resends = resends + 1, ambiguous_at = null,
                           next_attempt_at = now(), claimed_until = null, updated_at = now()
                     where id = $1 and sid is null""").execute(Tuple.of(id)).replaceWithVoid();
        }
        return fail(id, null, "Twilio did not confirm the call twice and it could not be found; not placed again");
    }

    private Uni<Void> recheckLater(UUID id) {
        return pool.preparedQuery("""
                update call set next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                       updated_at = now()
                 where id = $1 and dispatch_state = 'ambiguous'""")
                .execute(Tuple.of(id, config.recheckInterval().toMillis())).replaceWithVoid();
    }

    /** Twilio's Retry-After when it sent one, else the configured backoff doubled per attempt, up to 5 minutes. */
    private Duration retryAfter(Throwable failure, int attempts) {
        return Backoff.after(failure, attempts, config.retryBackoff());
    }
}
