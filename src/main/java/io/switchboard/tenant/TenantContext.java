package io.switchboard.tenant;

import io.switchboard.common.LogContext;
import jakarta.enterprise.context.RequestScoped;
import java.util.Optional;
import java.util.UUID;

/** Who is calling: an organization (by API key) or the operator (by admin token). Set once, by the auth filter. */
@RequestScoped
public class TenantContext {

    private UUID organizationId;
    private boolean operator;

    public void actAsOrganization(UUID organizationId) {
        this.organizationId = organizationId;
        this.operator = false;
        LogContext.put(LogContext.ORGANIZATION_ID, organizationId);
    }

    public void actAsOperator() {
        this.organizationId = null;
        this.operator = true;
    }

    public boolean isOperator() {
        return operator;
    }

    public Optional<UUID> organization() {
        return Optional.ofNullable(organizationId);
    }

    /** The caller's organization; a query scoped to no organization is a programming error, never a wider read. */
    public UUID requireOrganization() {
        if (organizationId == null) {
            throw new IllegalStateException("no organization in this request context");
        }
        return organizationId;
    }
}
