package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.outbound.DispatchRepository;
import io.switchboard.tenant.TenantContext;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.UUID;

/**
 * Outbound call batches of the caller's organization: each is stored, in one transaction, before the API answers 202;
 * the outbound dispatcher places its calls afterwards, so nothing accepted is lost if this replica stops.
 */
@ApplicationScoped
public class CallBatchService {

    private final OutboundCallRepository repository;
    private final DispatchRepository dispatch;
    private final Pool pool;
    private final TenantContext tenant;

    CallBatchService(OutboundCallRepository repository, DispatchRepository dispatch, Pool pool, TenantContext tenant) {
        this.repository = repository;
        this.dispatch = dispatch;
        this.pool = pool;
        this.tenant = tenant;
    }

    public Uni<CallBatchView> create(CallBatchRequest request) {
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
                .invoke(from -> {
                    if (from == null && request.from() != null) {
                        throw ApiException.unprocessable("from_not_imported",
                                "from is not a phone number imported by this organization");
                    }
                    if (from == null) {
                        throw ApiException.unprocessable("no_caller_id",
                                "the agent has no phone number assigned; assign one or pass from");
                    }
                })
                .chain(from -> repository.insertBatch(db, organization, batchId, agentId, from, ids, targets, now())
                        .chain(() -> dispatch.ensurePace(db, OutboundCallRepository.DISPATCH, from.accountSid()))))
                .replaceWith(() -> new CallBatchView(batchId, calls));
    }

    /** Null when the batch is not the caller's. */
    public Uni<BatchCancelView> cancel(UUID batchId) {
        UUID organization = tenant.requireOrganization();
        return pool.withTransaction(db -> repository.cancelBatch(db, organization, batchId))
                .map(canceled -> canceled == null ? null : new BatchCancelView(batchId, canceled));
    }

    /** Microseconds, as PostgreSQL stores them, so the 202 shows the createdAt a later read will. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
