package io.switchboard.simulator;

/**
 * The service's answer to an inbound call or SMS webhook: {@code sid} of the call or message, the URL posted to, and
 * the HTTP status (0: no answer), content type and body the service returned.
 */
public record InboundDelivery(String sid, String url, int status, String contentType, String body) {
}
