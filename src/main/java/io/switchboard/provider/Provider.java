package io.switchboard.provider;

import io.switchboard.tenant.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import org.hibernate.annotations.DynamicUpdate;

/**
 * A connected Twilio account. Every secret field holds a {@link io.switchboard.crypto.SecretCipher} value. Writes
 * carry only the columns they changed and fail on a concurrent write ({@link #version}), so a verification that read
 * the row before a credential rotation cannot write the replaced credentials back.
 */
@Entity
@Table(name = "provider")
@DynamicUpdate
public class Provider extends TenantOwnedEntity {

    /** Bumped by every write through this entity; a write based on an older read fails instead of overwriting. */
    @Version
    @Column(nullable = false)
    public long version;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false, updatable = false)
    public String type;

    @Column(name = "account_sid", nullable = false, updatable = false)
    public String accountSid;

    @Column(nullable = false, updatable = false)
    public String region;

    @Column(nullable = false, updatable = false)
    public String edge;

    @Column(name = "auth_token_enc")
    public String authTokenEnc;

    @Column(name = "api_key_sid")
    public String apiKeySid;

    @Column(name = "api_key_secret_enc")
    public String apiKeySecretEnc;

    @Column(name = "previous_auth_token_enc")
    public String previousAuthTokenEnc;

    @Column(name = "previous_auth_token_expires_at")
    public Instant previousAuthTokenExpiresAt;

    /** The account's US1 credentials, for a provider outside us1 (what Twilio serves only from US1). */
    @Column(name = "us1_auth_token_enc")
    public String us1AuthTokenEnc;

    @Column(name = "us1_api_key_sid")
    public String us1ApiKeySid;

    @Column(name = "us1_api_key_secret_enc")
    public String us1ApiKeySecretEnc;

    @Column(name = "enable_transfers", nullable = false)
    public boolean enableTransfers;

    /** Null: switchboard.outbound.calls-per-second. Read by the dispatch claim ({@link ProviderPace}). */
    @Column(name = "calls_per_second")
    public Double callsPerSecond;

    /** Null: switchboard.outbound.segments-per-second. */
    @Column(name = "segments_per_second")
    public Double segmentsPerSecond;

    @Column(name = "trunk_sid")
    public String trunkSid;

    @Column(name = "credential_list_sid")
    public String credentialListSid;

    @Column(name = "termination_uri")
    public String terminationUri;

    @Column(name = "sip_username")
    public String sipUsername;

    @Column(name = "sip_password_enc")
    public String sipPasswordEnc;

    @Column(name = "verification_status", nullable = false)
    public String verificationStatus;

    /** The last verification's checks, as JSON. */
    public String verification;

    @Column(name = "last_verified_at")
    public Instant lastVerifiedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
