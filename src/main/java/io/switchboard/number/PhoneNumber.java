package io.switchboard.number;

import io.switchboard.tenant.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A Twilio number imported into the service, optionally assigned to an agent. */
@Entity
@Table(name = "phone_number")
public class PhoneNumber extends TenantOwnedEntity {

    @Column(name = "provider_id", nullable = false, updatable = false)
    public UUID providerId;

    /** E.164. */
    @Column(nullable = false, updatable = false)
    public String number;

    public String label;

    @Column(name = "agent_id")
    public UUID agentId;

    @Column(name = "twilio_sid", nullable = false)
    public String twilioSid;

    @Column(nullable = false)
    public boolean voice;

    @Column(nullable = false)
    public boolean sms;

    /** The number's webhook configuration before import, as JSON; restored on delete. */
    @Column(name = "previous_config", nullable = false)
    public String previousConfig;

    /**
     * The connection overrides its webhook URLs were last registered with at Twilio ({@code WebhookUrls.overrides()});
     * null when imported before registered URLs carried any.
     */
    @Column(name = "webhook_overrides")
    public String webhookOverrides;

    /**
     * When Twilio left the import unconfirmed and the configuration could not be restored either: the row is kept, as
     * the only copy of {@link #previousConfig}, until a delete restores it or a retried import completes. Null once
     * imported.
     */
    @Column(name = "import_failed_at")
    public Instant importFailedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
