package io.switchboard.webhook;

import java.util.UUID;

/**
 * A webhook whose X-Twilio-Signature checked out: its parameters (every one Twilio sent, repeated keys kept), the
 * account it came from, the provider whose token signed it (the owner of the number it concerns; null when it
 * concerns no number imported here), and Twilio's idempotency token when it sent one. Put on the routing context by
 * the signature check; {@link WebhookRoutes} hands it to the endpoint's {@link WebhookHandler}.
 */
public record VerifiedWebhook(String accountSid, UUID providerId, FormParams params, String idempotencyToken) {

    static final String KEY = "switchboard.verified-webhook";

    /** A webhook that concerns no number imported here. */
    public VerifiedWebhook(String accountSid, FormParams params, String idempotencyToken) {
        this(accountSid, null, params, idempotencyToken);
    }

    public String param(String name) {
        return params.get(name);
    }
}
