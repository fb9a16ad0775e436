package io.switchboard.number;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The statements of {@link NumberWebhookUpgrade}: background work across every organization, with no tenant, which
 * reads numbers with their provider's credentials and records what each was registered with.
 */
@ApplicationScoped
class NumberWebhookRepository {

    /** This job's own advisory-lock key; no other lock of the service uses it. */
    static final long LOCK = 0x5342_4E55_4D57_4831L;

    private static final String REGISTERED_OTHERWISE = """
            select pn.id, pn.twilio_sid, pn.previous_config, pr.account_sid as account_sid, {provider}
              from phone_number pn join provider pr on pr.id = pn.provider_id
             where pn.webhook_overrides is distinct from $1
             order by pr.account_sid, pn.id""".replace("{provider}", ProviderCredentials.JOINED_COLUMNS);

    /**
     * A number to bring up to date: its configuration from before the import (JSON), and the row its provider's
     * credentials are read from.
     */
    record Registered(UUID id, String twilioSid, String previousConfig, String accountSid, Row row) {
    }

    private final Pool pool;

    NumberWebhookRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Runs {@code work} while holding the job's advisory lock, on a connection kept for that long, so that one replica
     * at a time does it (a replica that dies lets go of it with its connection); null, without running it, when
     * another replica holds the lock.
     */
    <T> Uni<T> exclusively(Supplier<Uni<T>> work) {
        return pool.withConnection(connection -> connection.preparedQuery("select pg_try_advisory_lock($1) as locked")
                .execute(Tuple.of(LOCK))
                .chain(rows -> {
                    if (!rows.iterator().next().getBoolean("locked")) {
                        return Uni.createFrom().nullItem();
                    }
                    return work.get().eventually(() -> connection
                            .preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK)));
                }));
    }

    /** Every imported number whose URLs were registered with other overrides than {@code overrides}, or before any. */
    Uni<List<Registered>> registeredOtherwise(String overrides) {
        return pool.preparedQuery(REGISTERED_OTHERWISE).execute(Tuple.of(overrides)).map(rows -> {
            var found = new ArrayList<Registered>(rows.size());
            rows.forEach(row -> found.add(new Registered(row.getUUID("id"), row.getString("twilio_sid"),
                    row.getString("previous_config"), row.getString("account_sid"), row)));
            return found;
        });
    }

    /** Records what the number is registered with now; false when it is no longer imported. */
    Uni<Boolean> markRegistered(UUID id, String overrides) {
        return pool.preparedQuery("update phone_number set webhook_overrides = $2 where id = $1")
                .execute(Tuple.of(id, overrides)).map(result -> result.rowCount() > 0);
    }
}
