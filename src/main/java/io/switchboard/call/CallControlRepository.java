package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;

/**
 * The control lease on a call row ({@link CallControl}): taken and given back by single statements, never held in a
 * transaction, because what runs under it waits for Twilio.
 */
@ApplicationScoped
public class CallControlRepository {

    /** What an attempt to take the lease found. */
    public enum Take {
        TAKEN, HELD, ABSENT
    }

    private final Pool pool;

    public CallControlRepository(Pool pool) {
        this.pool = pool;
    }

    /** Takes the lease for {@code lease} until {@code ttl} from now, unless another holds it and it has not lapsed. */
    public Uni<Take> take(UUID organizationId, UUID callId, UUID lease, Duration ttl) {
        return pool.preparedQuery("""
                with taken as (
                    update call set control_lease = $3,
                                    control_lease_until = now() + $4 * interval '1 millisecond'
                     where organization_id = $1 and id = $2
                       and (control_lease is null or control_lease_until < now())
                    returning id)
                select (select count(*) from taken) as taken,
                       exists (select 1 from call where organization_id = $1 and id = $2) as present""")
                .execute(Tuple.of(organizationId, callId, lease, ttl.toMillis()))
                .map(rows -> {
                    var row = rows.iterator().next();
                    if (row.getLong("taken") > 0) {
                        return Take.TAKEN;
                    }
                    return row.getBoolean("present") ? Take.HELD : Take.ABSENT;
                });
    }

    /** Gives the lease back, if it is still this one's. */
    public Uni<Void> release(UUID callId, UUID lease) {
        return pool.preparedQuery("""
                update call set control_lease = null, control_lease_until = null
                 where id = $1 and control_lease = $2""")
                .execute(Tuple.of(callId, lease)).replaceWithVoid();
    }
}
