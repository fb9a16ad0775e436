package io.switchboard.outbound;

import io.switchboard.provider.ProviderSecrets;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import io.vertx.mutiny.sqlclient.Row;

/** The provider columns the dispatcher's claims return, turned into credentials for the client. */
final class ProviderColumns {

    /** Joined as {@code pr}; the row also carries {@code provider_id} and {@code account_sid}. */
    static final String SELECT = """
            pr.auth_token_enc, pr.api_key_sid, pr.api_key_secret_enc, pr.region, pr.edge""";

    private ProviderColumns() {
    }

    /** Null when the provider is gone (the row outlives it): the call or message cannot be sent. */
    static TwilioCredentials credentials(Row row, ProviderSecrets secrets) {
        var providerId = row.getUUID("provider_id");
        String region = row.getString("region");
        if (providerId == null || region == null) {
            return null;
        }
        return new TwilioCredentials(row.getString("account_sid"),
                secrets.open(providerId, "authToken", row.getString("auth_token_enc")),
                row.getString("api_key_sid"),
                secrets.open(providerId, "apiKeySecret", row.getString("api_key_secret_enc")),
                TwilioRegion.parse(region).orElseThrow(), row.getString("edge"));
    }
}
