package io.switchboard.webhook;

import java.util.List;
import java.util.UUID;

/**
 * A webhook whose X-Twilio-Signature checked out: its parameters (every one Twilio sent, repeated keys kept), the
 * account it came from, the provider whose token signed it (the owner of the number it concerns; null when it
 * concerns no number imported here), and Twilio's idempotency token when it sent one. {@code signedBy}: the providers
 * whose tokens the signature matched (the owner alone, or, for a webhook about no number imported here, each provider
 * of the account whose token did); a callback changes only a call or message of one of them. Null when not known (a
 * webhook built outside the signature check): then nothing is restricted beyond the account. Put on the routing
 * context by the signature check; {@link WebhookRoutes} hands it to the endpoint's {@link WebhookHandler}.
 */
public record VerifiedWebhook(String accountSid, UUID providerId, List<UUID> signedBy, FormParams params,
        String idempotencyToken) {

    static final String KEY = "switchboard.verified-webhook";

    /** A webhook that concerns no number imported here, signed by a provider not named. */
    public VerifiedWebhook(String accountSid, FormParams params, String idempotencyToken) {
        this(accountSid, null, null, params, idempotencyToken);
    }

    /** {@link #signedBy} as a SQL array parameter: null when not known. */
    public UUID[] signedByArray() {
        return signedBy == null ? null : signedBy.toArray(UUID[]::new);
    }

    public String param(String name) {
        return params.get(name);
    }
}
