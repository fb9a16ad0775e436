package io.switchboard.tenant;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.util.Map;
import java.util.UUID;

/**
 * A feature's part of an organization, asked when the operator deletes the organization, inside the deleting
 * transaction (the organization's row is locked, so nothing of it can be added meanwhile). Features implement it as
 * beans; the tenant package knows none of them.
 */
public interface OrganizationContents {

    /**
     * What of the organization must first be deleted through its own endpoint, because it holds state in the
     * customer's Twilio account that only that delete restores (a trunk, a number's webhook configuration): the
     * plural name the API uses for it, and how many remain. Empty when nothing does.
     */
    Uni<Map<String, Long>> remaining(SqlClient db, UUID organizationId);

    /**
     * Deletes the feature's rows of the organization that its foreign keys do not delete with it. Runs after every
     * {@link #remaining} was empty and before the organization's row goes.
     */
    default Uni<Void> deleteUnlinked(SqlClient db, UUID organizationId) {
        return Uni.createFrom().voidItem();
    }
}
