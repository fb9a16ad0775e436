package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.MessageRequest;
import io.switchboard.twilio.TwilioMessage;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Sends queued outbound messages, each at most once, paced per sender number in segments per second.
 * <p>
 * The never-twice rule is the one of {@link CallDispatch}, with one difference: an ambiguous send is never sent
 * again. It is reconciled only through its status callbacks, whose URL names the message: a callback within the grace
 * period attaches the sid; without one the message ends {@code failed} with a dispatch error saying the outcome is
 * unknown. (The client has no message list to search, and a duplicate text is worse than a missing one.)
 */
@ApplicationScoped
class MessageDispatch {

    private static final Logger LOG = Logger.getLogger(MessageDispatch.class);
    /** Twilio's code for a recipient who replied STOP. */
    static final int OPTED_OUT = 21610;

    /* $1 pace interval per segment (ms), $2 senders per tick, $3 lease (ms). One message per sender per tick. */
    static final String CLAIM = """
            with sender as (
                select p.key, substr(p.key, 5) as from_number
                  from outbound_pace p
                 where p.key like 'sms:%%' and p.next_at <= now()
                   and exists (select 1 from message w
                                where w.dispatch_state = 'waiting' and w.from_number = substr(p.key, 5)
                                  and w.next_attempt_at <= now())
                 order by p.next_at
                 limit $2
                   for update skip locked
            ), picked as (
                select w.id, w.segments, sender.key
                  from sender cross join lateral (
                      select m.id, m.segments from message m
                       where m.dispatch_state = 'waiting' and m.from_number = sender.from_number
                         and m.next_attempt_at <= now()
                       order by m.next_attempt_at, m.created_at
                       limit 1
                         for update skip locked) w
            ), claimed as (
                update message m set dispatch_state = 'placing',
                       claimed_until = now() + $3 * interval '1 millisecond', attempts = m.attempts + 1,
                       updated_at = now()
                  from picked
                 where m.id = picked.id
                returning m.id, m.organization_id, m.to_number, m.from_number, m.body, m.provider_id, m.account_sid,
                          m.attempts
            ), paced as (
                update outbound_pace p
                   set next_at = now() + greatest(picked.segments, 1) * $1 * interval '1 millisecond'
                  from picked
                 where p.key = picked.key
            )
            select cl.*, %s
              from claimed cl
              left join provider pr on pr.id = cl.provider_id""".formatted(ProviderColumns.SELECT);

    /* $1 rows, $2 lease (ms), $3 grace (ms). */
    static final String RECHECK = """
            with due as (
                select id from message
                 where dispatch_state in ('placing', 'ambiguous') and next_attempt_at <= now()
                   and (claimed_until is null or claimed_until < now())
                 order by next_attempt_at
                 limit $1
                   for update skip locked
            )
            update message m set dispatch_state = 'ambiguous', ambiguous_at = coalesce(m.ambiguous_at, now()),
                   claimed_until = now() + $2 * interval '1 millisecond', updated_at = now()
              from due
             where m.id = due.id
            returning m.id, m.sid, now() - m.ambiguous_at >= $3 * interval '1 millisecond' as grace_over""";

    private static final String FAIL = """
            update message set status = 'failed', error_code = $2, dispatch_state = 'done', claimed_until = null,
                   dispatch_error = $3, updated_at = now()
             where id = $1 and sid is null""";

    private final Pool pool;
    private final TwilioClient twilio;
    private final ProviderCredentials credentials;
    private final WebhookUrls urls;
    private final OutboundConfig config;

    MessageDispatch(Pool pool, TwilioClient twilio, ProviderCredentials credentials, WebhookUrls urls,
            OutboundConfig config) {
        this.pool = pool;
        this.twilio = twilio;
        this.credentials = credentials;
        this.urls = urls;
        this.config = config;
    }

    Uni<Integer> sendDue() {
        long paceMs = Math.max(1, Math.round(1000 / config.segmentsPerSecond()));
        return ProviderColumns.claimAndStart(pool, CLAIM,
                Tuple.of(paceMs, config.claimLimit(), config.lease().toMillis()), this::send, "message",
                "storing the outcome");
    }

    Uni<Integer> recheckDue() {
        return ProviderColumns.claimAndStart(pool, RECHECK,
                Tuple.of(config.claimLimit(), config.lease().toMillis(), config.reconcileGrace().toMillis()),
                this::reconcile, "message", "reconciling");
    }

    private Uni<Void> send(Row row) {
        UUID id = row.getUUID("id");
        TwilioCredentials creds = ProviderColumns.credentials(row, credentials, "message");
        if (creds == null) {
            return fail(id, null, "the provider of this message is gone or its credentials cannot be read");
        }
        var request = MessageRequest.from(row.getString("to_number"), row.getString("from_number"),
                row.getString("body")).withStatusCallback(urls.messagingStatus() + "?messageId=" + id);
        LOG.infof("message %s: sending (attempt %d)", id, row.getInteger("attempts"));
        return twilio.createMessage(creds, request)
                .onItemOrFailure().transformToUni((message, failure) -> failure == null
                        ? sent(id, message)
                        : failed(row, failure));
    }

    private Uni<Void> sent(UUID id, TwilioMessage message) {
        LOG.infof("message %s: accepted by Twilio as %s", id, message.sid());
        return pool.preparedQuery("""
                update message set sid = coalesce(sid, $2), dispatch_state = 'done', claimed_until = null,
                       dispatch_error = null, updated_at = now()
                 where id = $1""").execute(Tuple.of(id, message.sid())).replaceWithVoid();
    }

    private Uni<Void> failed(Row row, Throwable failure) {
        UUID id = row.getUUID("id");
        Integer code = Failure.code(failure);
        return switch (Failure.of(failure)) {
            case RETRY -> {
                var wait = Backoff.after(failure, row.getInteger("attempts"), config.retryBackoff());
                LOG.warnf("message %s: not processed by Twilio (%s); again in %d ms", id, failure.getMessage(),
                        wait.toMillis());
                yield pool.preparedQuery("""
                        update message set dispatch_state = 'waiting', claimed_until = null,
                               next_attempt_at = now() + $2 * interval '1 millisecond', dispatch_error = $3,
                               updated_at = now()
                         where id = $1 and sid is null""")
                        .execute(Tuple.of(id, wait.toMillis(), failure.getMessage())).replaceWithVoid();
            }
            case AMBIGUOUS -> {
                LOG.warnf("message %s: Twilio may have sent it (%s); waiting for its callback, not resending", id,
                        failure.getMessage());
                yield pool.preparedQuery("""
                        update message set dispatch_state = 'ambiguous', ambiguous_at = coalesce(ambiguous_at, now()),
                               next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                               dispatch_error = $3, updated_at = now()
                         where id = $1 and dispatch_state = 'placing'""")
                        .execute(Tuple.of(id, config.recheckInterval().toMillis(), failure.getMessage()))
                        .replaceWithVoid();
            }
            case PERMANENT -> Integer.valueOf(OPTED_OUT).equals(code)
                    ? optedOut(row, failure.getMessage())
                    : fail(id, code, failure.getMessage());
        };
    }

    /** Twilio knows the recipient replied STOP (perhaps before the number was imported): remember it here too. */
    private Uni<Void> optedOut(Row row, String error) {
        LOG.infof("message %s: the recipient has opted out (21610)", row.getUUID("id"));
        return pool.withTransaction(db -> db.preparedQuery("""
                insert into opt_out (organization_id, number, created_at) values ($1, $2, now())
                on conflict do nothing""")
                .execute(Tuple.of(row.getUUID("organization_id"), row.getString("to_number")))
                .chain(() -> db.preparedQuery(FAIL).execute(Tuple.of(row.getUUID("id"), OPTED_OUT, error))))
                .replaceWithVoid();
    }

    private Uni<Void> fail(UUID id, Integer code, String error) {
        LOG.warnf("message %s: failed (%s)", id, code);
        return pool.preparedQuery(FAIL).execute(Tuple.of(id, code, error)).replaceWithVoid();
    }

    private Uni<Void> reconcile(Row row) {
        UUID id = row.getUUID("id");
        if (row.getString("sid") != null) {
            return sent(id, new TwilioMessage(row.getString("sid"), null, null, null, null, null, null, null));
        }
        if (Boolean.TRUE.equals(row.getBoolean("grace_over"))) {
            return fail(id, null, "Twilio did not confirm the send and no status callback named it; not resent, "
                    + "since it may have been delivered");
        }
        return pool.preparedQuery("""
                update message set next_attempt_at = now() + $2 * interval '1 millisecond', claimed_until = null,
                       updated_at = now()
                 where id = $1 and dispatch_state = 'ambiguous'""")
                .execute(Tuple.of(id, config.recheckInterval().toMillis())).replaceWithVoid();
    }
}
