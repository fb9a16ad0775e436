package io.switchboard.reconcile;

import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioCredentials;

/**
 * One kind of row that Twilio may know more about than the service, such as a call or a message. {@link Reconciler}
 * claims its stale rows, opens the provider's credentials, keeps to the account's concurrency and backs off; a kind
 * supplies only its table and how Twilio's answer is applied. Every {@code @ApplicationScoped} kind is reconciled.
 */
public interface ReconcileKind {

    ReconcileTable table();

    /** What the kind is, as its log lines name it: its table. */
    default String noun() {
        return table().name();
    }

    /**
     * Fetches the row from Twilio and, when Twilio's status differs from the row's, stores it as a
     * {@link ReconciledEvent} through the statement its status callbacks take, so the same ordering rules hold.
     * Completes with whether a new event was stored; fails with the client's failure (a
     * {@link io.switchboard.twilio.TwilioException#isNotFound() 404} when Twilio does not know the sid).
     */
    Uni<Boolean> reconcile(Stale row, TwilioCredentials credentials);
}
