package io.switchboard.agent;

import io.switchboard.tenant.TenantOwnedEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.time.Instant;

/** Where calls go: a media stream, a SIP URI, a phone number or a ConversationRelay session. */
@Entity
@Table(name = "agent")
public class Agent extends TenantOwnedEntity {

    @Column(nullable = false)
    public String name;

    @Column(name = "routing_type", nullable = false)
    public String routingType;

    /** The stream or ConversationRelay URL, SIP URI or E.164 number, by {@link #routingType}. */
    @Column(name = "routing_target", nullable = false)
    public String routingTarget;

    /** The route's settings beyond its target ({@link Routing#settings}): a JSON object of string to string. */
    @Column(name = "routing_settings", nullable = false)
    public String routingSettings;

    /** JSON object of string to string. */
    @Column(nullable = false)
    public String parameters;

    @Column(nullable = false)
    public String recording;

    @Column(name = "transfer_number")
    public String transferNumber;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
