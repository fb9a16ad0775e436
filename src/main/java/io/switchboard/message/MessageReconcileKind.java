package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.reconcile.ReconcileKind;
import io.switchboard.reconcile.ReconcileTable;
import io.switchboard.reconcile.ReconciledEvent;
import io.switchboard.reconcile.Stale;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;

/**
 * Messages as a kind of reconciliation. Twilio never retries a message status callback, so a delivery report that
 * reached no replica is known only by asking: a message fetched from Twilio ({@code Messages/{sid}}) whose status
 * differs from the row's is stored through the statement of its status callbacks, so a status only moves forward.
 */
@ApplicationScoped
class MessageReconcileKind implements ReconcileKind {

    private final MessageEventRepository events;
    private final TwilioClient twilio;

    MessageReconcileKind(MessageEventRepository events, TwilioClient twilio) {
        this.events = events;
        this.twilio = twilio;
    }

    @Override
    public ReconcileTable table() {
        return MessageEventRepository.RECONCILE;
    }

    @Override
    public Uni<Boolean> reconcile(Stale row, TwilioCredentials credentials) {
        return twilio.fetchMessage(credentials, row.sid()).chain(message -> {
            if (message.status() == null || message.status().equals(row.status())) {
                return Uni.createFrom().item(false);
            }
            Integer code = message.errorCode() == null || message.errorCode() == 0 ? null : message.errorCode();
            var params = new LinkedHashMap<String, String>();
            params.put("AccountSid", row.accountSid());
            params.put("MessageSid", row.sid());
            params.put("MessageStatus", message.status());
            params.put("ErrorCode", code == null ? null : code.toString());
            return events.storeStatus(ReconciledEvent.of(row.sid(), message.status(), params), row.accountSid(),
                    null, code);
        });
    }
}
