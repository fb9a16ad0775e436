package io.switchboard.webhook;

import io.switchboard.twilio.WebhookEndpoint;
import io.vertx.ext.web.RoutingContext;

/**
 * What a feature answers on one {@code /twilio} endpoint. {@link WebhookRoutes} mounts exactly one bean per
 * endpoint behind the gate, so a handler only ever sees a request whose signature checked out. Handlers run on the
 * event loop: they must not block, and they end the response themselves.
 */
public interface WebhookHandler {

    WebhookEndpoint endpoint();

    void handle(VerifiedWebhook webhook, RoutingContext ctx);
}
