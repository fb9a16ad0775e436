package io.switchboard.message;

import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.CallbackAnswers;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * An SMS to an imported number: stored (with any opt-out it asks for) before it is answered with TwiML, and answered
 * 503 when it could not be stored, so Twilio retries; never 2xx for something lost.
 */
@ApplicationScoped
public class InboundSmsWebhook implements WebhookHandler {

    static final String SMS_INBOUND = "sms-inbound";
    private static final String TEXT_XML = "text/xml";
    /** Far beyond any address Twilio sends, far within what an index entry holds. */
    static final int MAX_ADDRESS = 256;

    private final MessageEventRepository events;
    private final RoutingTable routing;
    private final SmsReplies replies;
    private final CallbackAnswers answers;

    public InboundSmsWebhook(MessageEventRepository events, RoutingTable routing, SmsReplies replies,
            CallbackAnswers answers) {
        this.answers = answers;
        this.events = events;
        this.routing = routing;
        this.replies = replies;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.MESSAGING_INBOUND;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = answers.requireStorable(webhook, sid(webhook), ctx);
        if (sid == null) {
            return;
        }
        if (!isStorableNumber(webhook.param("From")) || !isStorableNumber(webhook.param("To"))) {
            // An opt-out is keyed on the sender: a value that no index entry can hold would fail on every retry.
            answers.refuse(ctx, 400);
            return;
        }
        Route route = webhook.param("To") == null ? null : routing.find(webhook.param("To")).orElse(null);
        if (route != null && !route.accountSid().equals(webhook.accountSid())) {
            // Signed by a connected account, but for a number imported under another one.
            answers.refuse(ctx, 403);
            return;
        }
        String body = CallbackEvent.clean(webhook.param("Body"));
        String from = CallbackEvent.clean(webhook.param("From"));
        var word = route == null ? OptOutWords.NONE : OptOutWords.of(body);
        var event = CallbackEvent.of(webhook, SMS_INBOUND, sid, "received", null);
        var sms = new MessageEventRepository.Inbound(event, webhook.accountSid(),
                route == null ? null : route.organizationId(), from,
                CallbackEvent.clean(webhook.param("To")), body, CallbackEvent.integer(webhook.param("NumSegments")),
                word);
        events.storeInbound(sms).subscribe().with(inserted -> {
            answers.count(ctx, inserted ? CallbackAnswers.Outcome.STORED : CallbackAnswers.Outcome.DUPLICATE);
            ctx.response().putHeader("Content-Type", TEXT_XML).end(replies.twiml(route, word));
            if (inserted && replies.needsRestReply(route, word)) {
                replies.replyOverRest(route, from, sid);
            }
        }, failure -> answers.notStored(ctx, event, failure));
    }

    /**
     * A sender or recipient as Twilio sends them (E.164, a short code, an alphanumeric sender, a channel address such
     * as {@code whatsapp:+1…}): absent, or short enough to store and index.
     */
    static boolean isStorableNumber(String value) {
        return value == null || value.length() <= MAX_ADDRESS;
    }

    /** A message's sid under either of the names Twilio sends it as; null when absent. */
    static String sid(VerifiedWebhook webhook) {
        String sid = webhook.param("MessageSid") != null ? webhook.param("MessageSid") : webhook.param("SmsSid");
        return sid == null || sid.isBlank() ? null : sid;
    }
}
