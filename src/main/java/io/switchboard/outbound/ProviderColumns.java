package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.TwilioCredentials;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.function.Function;
import org.jboss.logging.Logger;

/** The provider columns the dispatcher's claims return, turned into credentials for the client. */
final class ProviderColumns {

    private static final Logger LOG = Logger.getLogger(ProviderColumns.class);

    /** Joined as {@code pr}. */
    static final String SELECT = ProviderCredentials.JOINED_COLUMNS;

    private ProviderColumns() {
    }

    /**
     * Null when the provider is gone (the row outlives it) or its secrets no longer open: the call or message cannot
     * be sent, and the reason is logged here.
     */
    static TwilioCredentials credentials(Row row, ProviderCredentials credentials, String what) {
        try {
            return credentials.fromJoinedRow(row);
        } catch (RuntimeException e) {
            LOG.errorf("%s %s: the provider's credentials cannot be read: %s", what, row.getUUID("id"),
                    e.getMessage());
            return null;
        }
    }

    /**
     * Runs a claiming statement in a transaction of its own and starts the work on every row it claimed; completes,
     * with how many, once they are claimed. Each row's work runs on under its lease; a failure to store its outcome is
     * logged and repaired when the lease runs out.
     */
    static Uni<Integer> claimAndStart(Pool pool, String claim, Tuple args, Function<Row, Uni<Void>> work,
            String what, String step) {
        return pool.withTransaction(db -> db.preparedQuery(claim).execute(args)).map(rows -> {
            var claimed = new ArrayList<Row>();
            rows.forEach(claimed::add);
            claimed.forEach(row -> work.apply(row).subscribe().with(ok -> {
            }, failure -> LOG.errorf("%s %s: %s failed, tried again when its lease ends: %s", what,
                    row.getUUID("id"), step, failure.getMessage())));
            return claimed.size();
        });
    }
}
