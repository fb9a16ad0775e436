package io.switchboard.twilio;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;

/**
 * The public URLs of this service's Twilio webhooks, under {@code TWILIO_WEBHOOK_PUBLIC_BASE_URL}: the ones registered
 * on numbers, calls, messages and in TwiML, each carrying the connection overrides that make Twilio retry what could
 * not be stored, and the URLs an incoming webhook's signature is checked against.
 */
@ApplicationScoped
public class WebhookUrls {

    private final String base;
    /** The fragment registered after {@code #}, without it; empty when overrides are off. */
    private final String overrides;
    /** The fragment registered before, still accepted in signatures; empty for none. */
    private final String previous;

    @Inject
    public WebhookUrls(TwilioConfig config) {
        this(config.webhook().publicBaseUrl(), fragment(config.webhook().overrides()),
                config.webhook().overrides().previous().orElse(""));
    }

    /** For a given public base URL and connection-override fragment ({@code ct=…&rc=…}, or empty for none). */
    public WebhookUrls(String publicBaseUrl, String overrides) {
        this(publicBaseUrl, overrides, "");
    }

    /** With the fragment registered before {@code overrides}, still accepted in signatures. */
    public WebhookUrls(String publicBaseUrl, String overrides, String previous) {
        this.base = publicBaseUrl.endsWith("/") ? publicBaseUrl.substring(0, publicBaseUrl.length() - 1)
                : publicBaseUrl;
        this.overrides = overrides;
        String earlier = previous.startsWith("#") ? previous.substring(1) : previous;
        this.previous = earlier.equals(overrides) ? "" : earlier;
    }

    /**
     * The connection overrides as Twilio reads them from a webhook URL's fragment: {@code ct} connect timeout,
     * {@code rt} read timeout, {@code tt} total time of all tries (all in milliseconds), {@code rc} retry count,
     * {@code rp} comma-separated retry policy. Syntax, ranges and defaults:
     * https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides
     */
    static String fragment(TwilioConfig.Overrides config) {
        if (!config.enabled()) {
            return "";
        }
        return "ct=" + config.connectTimeout().toMillis()
                + "&rt=" + config.readTimeout().toMillis()
                + "&tt=" + config.totalTime().toMillis()
                + "&rc=" + config.retryCount()
                + "&rp=" + String.join(",", config.retryPolicy());
    }

    /** The public origin (and path prefix, if any) without a trailing slash. */
    public String base() {
        return base;
    }

    /**
     * The connection overrides every registered URL carries, as the fragment after {@code #}; empty when they are off.
     * Stored with each imported number, so that a number registered with other overrides is found and updated.
     */
    public String overrides() {
        return overrides;
    }

    /** The URL Twilio requested for a webhook that reached us at this raw path and raw query; Twilio never sends a fragment. */
    public String signedUrl(String rawPath, String rawQuery) {
        return base + rawPath + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery);
    }

    /**
     * The URLs a webhook reaching us at this raw path and query may be signed for, most likely first: Twilio signs the
     * URL as it was registered, fragment included, while the request line carries none; a number registered before
     * the overrides (or with them off) signs the bare URL, and one registered before a change the previous fragment.
     */
    public List<String> signedUrls(String rawPath, String rawQuery) {
        String url = signedUrl(rawPath, rawQuery);
        var urls = new ArrayList<String>(3);
        if (!overrides.isEmpty()) {
            urls.add(url + "#" + overrides);
        }
        urls.add(url);
        if (!previous.isEmpty()) {
            urls.add(url + "#" + previous);
        }
        return urls;
    }

    /** The registered URL of an endpoint without a path parameter. */
    public String url(WebhookEndpoint endpoint) {
        return registered(base + endpoint.path());
    }

    /** The registered URL of an endpoint with its path parameter filled in. */
    public String url(WebhookEndpoint endpoint, String pathParameter) {
        return registered(base + endpoint.path(pathParameter));
    }

    /**
     * Whether {@code url} is this endpoint's URL (no path parameter), whatever connection overrides it carries: a
     * number still registered with older overrides, or none, points here all the same.
     */
    public boolean pointsAt(WebhookEndpoint endpoint, String url) {
        if (url == null) {
            return false;
        }
        int fragment = url.indexOf('#');
        return (fragment < 0 ? url : url.substring(0, fragment)).equals(base + endpoint.path());
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
        return registered(base + WebhookEndpoint.VOICE_STATUS.path() + "?" + WebhookEndpoint.CALL_ID + "=" + callId);
    }

    /** The asynchronous answering machine detection callback of an outbound call: the query names the call. */
    public String voiceAmd(String callId) {
        return registered(base + WebhookEndpoint.VOICE_AMD.path() + "?" + WebhookEndpoint.CALL_ID + "=" + callId);
    }

    /** The action of the verb that connects a call to this agent. */
    public String agentAction(String agentId) {
        return url(WebhookEndpoint.VOICE_AGENT_ACTION, agentId);
    }

    /** The action of the {@code <Dial>} to this agent's transfer number, its fallback. */
    public String agentFallbackAction(String agentId) {
        return registered(base + WebhookEndpoint.VOICE_AGENT_ACTION.path(agentId) + "?" + WebhookEndpoint.STEP + "="
                + WebhookEndpoint.STEP_FALLBACK);
    }

    /** The {@code referUrl} of the {@code <Dial>} that connects a call to this SIP agent. */
    public String referUrl(String agentId) {
        return url(WebhookEndpoint.VOICE_REFER, agentId);
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
        return registered(
                base + WebhookEndpoint.MESSAGING_STATUS.path() + "?" + WebhookEndpoint.MESSAGE_ID + "=" + messageId);
    }

    private String registered(String url) {
        return overrides.isEmpty() ? url : url + "#" + overrides;
    }
}
