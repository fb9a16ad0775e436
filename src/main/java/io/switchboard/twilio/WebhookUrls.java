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

    public String voiceInbound() {
        return base + "/twilio/voice/inbound";
    }

    public String voiceOutbound(String callId) {
        return base + "/twilio/voice/outbound/" + callId;
    }

    public String voiceStatus() {
        return base + "/twilio/voice/status";
    }

    public String recordingStatus() {
        return base + "/twilio/voice/recording";
    }

    public String messagingInbound() {
        return base + "/twilio/messaging/inbound";
    }

    public String messagingStatus() {
        return base + "/twilio/messaging/status";
    }
}
