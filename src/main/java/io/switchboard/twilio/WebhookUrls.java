package io.switchboard.twilio;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The public URLs of this service's Twilio webhooks, under {@code TWILIO_WEBHOOK_PUBLIC_BASE_URL}: the ones registered
 * on numbers and calls, and the origin the signed URL of an incoming webhook is rebuilt from.
 */
@ApplicationScoped
public class WebhookUrls {

    private final String base;

    public WebhookUrls(TwilioConfig config) {
        String url = config.webhook().publicBaseUrl();
        this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The public origin (and path prefix, if any) without a trailing slash. */
    public String base() {
        return base;
    }

    /** The URL Twilio signed for a request that reached us at this raw path and raw query. */
    public String signedUrl(String rawPath, String rawQuery) {
        return base + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    /** The public URL of an endpoint without a path parameter. */
    public String url(WebhookEndpoint endpoint) {
        return base + endpoint.path();
    }

    /** The public URL of an endpoint with its path parameter filled in. */
    public String url(WebhookEndpoint endpoint, String pathParameter) {
        return base + endpoint.path(pathParameter);
    }

    public String voiceInbound() {
        return url(WebhookEndpoint.VOICE_INBOUND);
    }

    public String voiceOutbound(String callId) {
        return url(WebhookEndpoint.VOICE_OUTBOUND, callId);
    }

    public String voiceStatus() {
        return url(WebhookEndpoint.VOICE_STATUS);
    }

    /** The status callback of an outbound call this service places: the query names the call. */
    public String voiceStatus(String callId) {
        return voiceStatus() + "?" + WebhookEndpoint.CALL_ID + "=" + callId;
    }

    public String recordingStatus() {
        return url(WebhookEndpoint.VOICE_RECORDING);
    }

    public String messagingInbound() {
        return url(WebhookEndpoint.MESSAGING_INBOUND);
    }

    public String messagingStatus() {
        return url(WebhookEndpoint.MESSAGING_STATUS);
    }

    /** The status callback of a message this service sends: the query names the message. */
    public String messagingStatus(String messageId) {
        return messagingStatus() + "?" + WebhookEndpoint.MESSAGE_ID + "=" + messageId;
    }
}
