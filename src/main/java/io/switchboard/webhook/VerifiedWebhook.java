package io.switchboard.webhook;

/**
 * A webhook whose X-Twilio-Signature checked out: its parameters (every one Twilio sent, repeated keys kept), the
 * account it came from, and Twilio's idempotency token when it sent one. Put on the routing context by the
 * signature check; {@link WebhookRoutes} hands it to the endpoint's {@link WebhookHandler}.
 */
public record VerifiedWebhook(String accountSid, FormParams params, String idempotencyToken) {

    static final String KEY = "switchboard.verified-webhook";

    public String param(String name) {
        return params.get(name);
    }
}
