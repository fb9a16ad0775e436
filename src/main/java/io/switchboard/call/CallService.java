package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.tenant.TenantContext;
import io.switchboard.webhook.EventView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Calls of the caller's organization. */
@ApplicationScoped
public class CallService {

    private final CallRepository calls;
    private final TenantContext tenant;

    public CallService(CallRepository calls, TenantContext tenant) {
        this.calls = calls;
        this.tenant = tenant;
    }

    public Uni<CallView> find(UUID id) {
        return calls.find(tenant.requireOrganization(), id);
    }

    public Uni<ListResponse<CallView>> list(String batchId, String status, String sid, PageRequest page) {
        UUID batch = null;
        if (batchId != null && !batchId.isBlank()) {
            try {
                batch = UUID.fromString(batchId);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("batchId", "is not an id");
            }
        }
        if (status != null && !status.isBlank() && !CallStatuses.isKnown(status)) {
            throw ApiException.badRequest("status", "is not a call status");
        }
        return calls.list(tenant.requireOrganization(), batch, blankToNull(status), blankToNull(sid), page);
    }

    /** Null when the call is not the caller's. */
    public Uni<List<EventView>> events(UUID id) {
        return calls.events(tenant.requireOrganization(), id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
