package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.reconcile.ReconcileKind;
import io.switchboard.reconcile.ReconcileTable;
import io.switchboard.reconcile.Stale;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Calls as a kind of reconciliation: a call fetched from Twilio ({@code Calls/{sid}}) whose status differs from the
 * row's is stored as a status callback would be, through {@link CallEventRepository#store}: a terminal status is
 * never replaced, and a status behind the row's is kept in the event only.
 */
@ApplicationScoped
class CallReconcileKind implements ReconcileKind {

    private final CallEventRepository events;
    private final TwilioClient twilio;
    private final CallRetryRepository retries;

    CallReconcileKind(CallEventRepository events, TwilioClient twilio, CallRetryRepository retries) {
        this.events = events;
        this.twilio = twilio;
        this.retries = retries;
    }

    @Override
    public ReconcileTable table() {
        return CallEventRepository.RECONCILE;
    }

    @Override
    public Uni<Boolean> reconcile(Stale row, TwilioCredentials credentials) {
        return twilio.fetchCall(credentials, row.sid()).chain(call -> {
            if (call.status() == null || call.status().equals(row.status())) {
                return Uni.createFrom().item(false);
            }
            var write = CallEventWrite.reconciled(call, row.sid(), row.accountSid());
            // A call whose final callback never came is retried as its batch says, as if the callback had come.
            Uni<Boolean> stored = events.store(write);
            return CallStatuses.isTerminal(write.status())
                    ? stored.call(() -> retries.scheduleAfter(row.id(), row.sid(), row.accountSid(), null))
                    : stored;
        });
    }
}
