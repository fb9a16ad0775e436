package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.outbound.DispatchState;
import io.switchboard.outbound.DispatchTable;
import io.switchboard.provider.ProviderPace;
import io.switchboard.twilio.TwilioRegion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The writes of outbound messages: messages stored for {@code POST /v1/messages} (on the connection of the caller's
 * transaction, scoped to the organization), and the outcomes of sending them.
 */
@ApplicationScoped
class OutboundMessageRepository {

    /**
     * Messages are paced per sender number, by their segments, at the provider's segments per second when it sets
     * them; the claim says whether the recipient is listed.
     */
    static final DispatchTable DISPATCH = DispatchTable.of("message", "sms:", "from_number")
            .withPaceRate(ProviderPace.segmentsPerSecond("t.provider_id"))
            .withPaceCost("greatest(t.segments, 1)")
            .withClaimedColumns(DoNotContactRepository.LISTED + " as do_not_contact");

    /**
     * An imported number a message can come from, with the account it belongs to, whether it can send SMS, and its
     * provider's region and whether that provider has US1 credentials.
     */
    record Sender(UUID numberId, String number, UUID providerId, String accountSid, boolean sms, TwilioRegion region,
            boolean us1Credentials) {

        /**
         * Whether the provider can reach messaging at all: in its region, or, where Twilio serves messaging only from
         * US1, with its US1 credentials (its regional ones are refused there).
         */
        boolean reachesMessaging() {
            return region.servesMessaging() || us1Credentials;
        }
    }

    private static final String INSERT = DispatchState.inline("""
            insert into message (id, organization_id, direction, from_number, to_number, body, status, encoding,
                                 segments, created_at, updated_at, account_sid, provider_id, dispatch_state,
                                 next_attempt_at, call_id)
            values ($1, $2, 'outbound', $3, $4, $5, 'queued', $6, $7, $8, $8, $9, $10, {waiting}, $8, $11)""");

    private static final String SENT = DispatchState.inline("""
            update message set sid = coalesce(sid, $2), dispatch_state = {done}, claimed_until = null,
                   dispatch_error = null, updated_at = now()
             where id = $1""");

    private final Pool pool;

    OutboundMessageRepository(Pool pool) {
        this.pool = pool;
    }

    /** Whether the number is on the organization's do-not-contact list. */
    Uni<Boolean> isOptedOut(SqlClient db, UUID organizationId, String number) {
        return db.preparedQuery("select 1 from do_not_contact where organization_id = $1 and number = $2")
                .execute(Tuple.of(organizationId, number))
                .map(rows -> rows.size() > 0);
    }

    /** Twilio knows the recipient replied STOP (perhaps before the number was imported): remembered here too. */
    Uni<Void> insertOptOut(SqlClient db, UUID organizationId, String number) {
        return db.preparedQuery("""
                insert into do_not_contact (organization_id, number, source, created_at) values ($1, $2, 'stop', now())
                on conflict do nothing""")
                .execute(Tuple.of(organizationId, number)).replaceWithVoid();
    }

    /** The number {@code from} (any capability, checked by the caller), or the oldest SMS-capable one. */
    Uni<Sender> findSender(SqlClient db, UUID organizationId, String from) {
        return db.preparedQuery("""
                select n.id, n.number, n.provider_id, p.account_sid, n.sms, p.region,
                       (p.us1_auth_token_enc is not null or p.us1_api_key_secret_enc is not null) as us1
                  from phone_number n join provider p on p.id = n.provider_id
                 where n.organization_id = $1
                   and (($2::text is not null and n.number = $2::text) or ($2::text is null and n.sms))
                 order by n.created_at, n.id limit 1""")
                .execute(Tuple.of(organizationId, from))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    return new Sender(row.getUUID("id"), row.getString("number"), row.getUUID("provider_id"),
                            row.getString("account_sid"), row.getBoolean("sms"),
                            TwilioRegion.parse(row.getString("region")).orElseThrow(), row.getBoolean("us1"));
                });
    }

    Uni<Void> insert(SqlClient db, UUID organizationId, UUID id, Sender from, String to, String body,
            String encoding, int segments, OffsetDateTime now, UUID callId) {
        return db.preparedQuery(INSERT)
                .execute(Tuple.from(new Object[] {
                    id, organizationId, from.number(), to, body, encoding, segments, now, from.accountSid(),
                    from.providerId(), callId
                }))
                .replaceWithVoid();
    }

    /** Twilio accepted the message as {@code sid}. */
    Uni<Void> sent(UUID id, String sid) {
        return pool.preparedQuery(SENT).execute(Tuple.of(id, sid)).replaceWithVoid();
    }
}
