package io.switchboard.outbound;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.message.MessageView;
import io.switchboard.message.SmsEncoding;
import io.switchboard.tenant.TenantContext;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.UUID;

/**
 * Outbound calls and messages of the caller's organization: each is stored, in one transaction, before the API answers
 * 202; {@link OutboundDispatcher} places them afterwards, so nothing accepted is lost if this replica stops.
 */
@ApplicationScoped
public class OutboundService {

    private final OutboundRepository repository;
    private final Pool pool;
    private final TenantContext tenant;

    public OutboundService(OutboundRepository repository, Pool pool, TenantContext tenant) {
        this.repository = repository;
        this.pool = pool;
        this.tenant = tenant;
    }

    public Uni<CallBatchView> createBatch(CallBatchRequest request) {
        UUID organization = tenant.requireOrganization();
        UUID agentId = request.validate();
        UUID batchId = UUID.randomUUID();
        var targets = request.targetNumbers().toArray(String[]::new);
        var ids = new UUID[targets.length];
        var calls = new ArrayList<CallBatchView.QueuedCall>(targets.length);
        for (int i = 0; i < targets.length; i++) {
            ids[i] = UUID.randomUUID();
            calls.add(new CallBatchView.QueuedCall(ids[i], targets[i], "queued"));
        }
        return pool.withTransaction(db -> repository.agentExists(db, organization, agentId)
                .invoke(exists -> {
                    if (!exists) {
                        throw ApiException.notFound("agent");
                    }
                })
                .chain(() -> repository.findCallerId(db, organization, agentId, request.from()))
                .invoke(sender -> {
                    if (sender == null && request.from() != null) {
                        throw ApiException.unprocessable("from_not_imported",
                                "from is not a phone number imported by this organization");
                    }
                    if (sender == null) {
                        throw ApiException.unprocessable("no_caller_id",
                                "the agent has no phone number assigned; assign one or pass from");
                    }
                })
                .chain(sender -> repository.insertBatch(db, organization, batchId, agentId, sender, ids, targets,
                        now())))
                .replaceWith(() -> new CallBatchView(batchId, calls));
    }

    public Uni<BatchCancelView> cancelBatch(UUID batchId) {
        UUID organization = tenant.requireOrganization();
        return pool.withTransaction(db -> repository.cancelBatch(db, organization, batchId))
                .map(canceled -> canceled == null ? null : new BatchCancelView(batchId, canceled));
    }

    public Uni<MessageView> send(SendMessageRequest request) {
        UUID organization = tenant.requireOrganization();
        request.validate();
        UUID id = UUID.randomUUID();
        String encoding = SmsEncoding.of(request.body());
        int segments = SmsEncoding.segments(request.body());
        var now = now();
        return pool.withTransaction(db -> repository.isOptedOut(db, organization, request.to())
                .invoke(optedOut -> {
                    if (optedOut) {
                        throw ApiException.unprocessable("recipient_opted_out",
                                "the recipient replied STOP; they can be messaged again once they reply START");
                    }
                })
                .chain(() -> repository.findSmsSender(db, organization, request.from()))
                .map(found -> {
                    if (found == null && request.from() != null) {
                        throw ApiException.unprocessable("from_not_imported",
                                "from is not a phone number imported by this organization");
                    }
                    if (found == null) {
                        throw ApiException.unprocessable("no_sender",
                                "the organization has no SMS-capable phone number imported");
                    }
                    if (!found.sms()) {
                        throw ApiException.unprocessable("from_not_sms_capable", "from cannot send SMS");
                    }
                    return found.sender();
                })
                .chain(sender -> repository.insertMessage(db, organization, id, sender, request.to(),
                        request.body(), encoding, segments, now)
                        .replaceWith(() -> new MessageView(id, request.to(), sender.number(), request.body(),
                                "queued", encoding, segments, null, null, now.toInstant()))));
    }

    /** Microseconds, as PostgreSQL stores them, so the 202 shows the createdAt a later read will. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
