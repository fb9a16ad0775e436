package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.switchboard.tenant.OrganizationContents;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * An organization's providers, when the operator deletes it: each holds a SIP trunk and credentials in the customer's
 * Twilio account that only {@code DELETE /v1/providers/{id}} removes, so they must go first.
 */
@ApplicationScoped
class ProviderContentsRepository implements OrganizationContents {

    @Override
    public Uni<Map<String, Long>> remaining(SqlClient db, UUID organizationId) {
        return db.preparedQuery("select count(*) from provider where organization_id = $1")
                .execute(Tuple.of(organizationId))
                .map(rows -> Map.of("providers", rows.iterator().next().getLong(0)));
    }
}
