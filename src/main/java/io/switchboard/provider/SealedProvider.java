package io.switchboard.provider;

import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A provider's account, region and secrets as stored: every secret still sealed. */
record SealedProvider(UUID id, String accountSid, String region, String edge, String apiKeySid,
        String authTokenEnc, String apiKeySecretEnc, String previousAuthTokenEnc,
        OffsetDateTime previousAuthTokenExpiresAt, String sipPasswordEnc, String us1AuthTokenEnc, String us1ApiKeySid,
        String us1ApiKeySecretEnc) {

    /** The columns, for a query that reads {@code provider} aliased {@code pr}; each is named {@code pr_<column>}. */
    static final String COLUMNS = """
            pr.id as pr_id, pr.account_sid as pr_account_sid, pr.region as pr_region, pr.edge as pr_edge,
            pr.api_key_sid as pr_api_key_sid, pr.auth_token_enc as pr_auth_token_enc,
            pr.api_key_secret_enc as pr_api_key_secret_enc, pr.previous_auth_token_enc as pr_previous_auth_token_enc,
            pr.previous_auth_token_expires_at as pr_previous_auth_token_expires_at,
            pr.sip_password_enc as pr_sip_password_enc, pr.us1_auth_token_enc as pr_us1_auth_token_enc,
            pr.us1_api_key_sid as pr_us1_api_key_sid, pr.us1_api_key_secret_enc as pr_us1_api_key_secret_enc""";

    /** Null when the row has no provider (an outer join whose provider is gone). */
    static SealedProvider of(Row row) {
        UUID id = row.getUUID("pr_id");
        if (id == null) {
            return null;
        }
        return new SealedProvider(id, row.getString("pr_account_sid"), row.getString("pr_region"),
                row.getString("pr_edge"), row.getString("pr_api_key_sid"), row.getString("pr_auth_token_enc"),
                row.getString("pr_api_key_secret_enc"), row.getString("pr_previous_auth_token_enc"),
                row.getOffsetDateTime("pr_previous_auth_token_expires_at"), row.getString("pr_sip_password_enc"),
                row.getString("pr_us1_auth_token_enc"), row.getString("pr_us1_api_key_sid"),
                row.getString("pr_us1_api_key_secret_enc"));
    }

    String sealed(SecretField field) {
        return switch (field) {
            case AUTH_TOKEN -> authTokenEnc;
            case API_KEY_SECRET -> apiKeySecretEnc;
            case PREVIOUS_AUTH_TOKEN -> previousAuthTokenEnc;
            case SIP_PASSWORD -> sipPasswordEnc;
            case US1_AUTH_TOKEN -> us1AuthTokenEnc;
            case US1_API_KEY_SECRET -> us1ApiKeySecretEnc;
        };
    }
}
