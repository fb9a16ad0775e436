package io.switchboard.number;

import io.smallrye.mutiny.Uni;
import io.switchboard.tenant.OrganizationContents;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.UUID;

/**
 * An organization's imported numbers, when the operator deletes it: each points its webhooks at this service in the
 * customer's Twilio account, and only {@code DELETE /v1/phone-numbers/{id}} restores what they were before.
 */
@ApplicationScoped
class PhoneNumberContentsRepository implements OrganizationContents {

    @Override
    public Uni<Map<String, Long>> remaining(SqlClient db, UUID organizationId) {
        return db.preparedQuery("select count(*) from phone_number where organization_id = $1")
                .execute(Tuple.of(organizationId))
                .map(rows -> Map.of("phoneNumbers", rows.iterator().next().getLong(0)));
    }
}
