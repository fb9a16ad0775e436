package io.switchboard.webhook;

import io.switchboard.routing.Route;

/**
 * Fired (synchronously, on the event loop) after the inbound-call webhook chose its answer. Observers record the
 * call; they must not block and must not fail the answer, so they only hand the work on.
 *
 * @param route null when the number is not imported here
 */
public record InboundCallAnswered(Route route, VerifiedWebhook webhook) {
}
