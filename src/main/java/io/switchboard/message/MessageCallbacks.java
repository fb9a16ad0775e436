package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Inbound SMS and message status callbacks. Both are stored before they are answered, and answered 503 when they
 * could not be (Twilio then retries), never 2xx for something lost. The signature gate ran before these handlers.
 */
@ApplicationScoped
public class MessageCallbacks {

    private static final Logger LOG = Logger.getLogger(MessageCallbacks.class);
    static final String MESSAGE_STATUS = "message-status";
    static final String SMS_INBOUND = "sms-inbound";
    private static final String TEXT_XML = "text/xml";

    private final MessageEventRepository events;
    private final RoutingTable routing;
    private final SmsReplies replies;

    public MessageCallbacks(MessageEventRepository events, RoutingTable routing, SmsReplies replies) {
        this.events = events;
        this.routing = routing;
        this.replies = replies;
    }

    void mount(@Observes Router router) {
        router.post("/twilio/messaging/inbound").handler(this::inbound);
        router.post("/twilio/messaging/status").handler(this::status);
    }

    void status(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        String sid = sid(webhook);
        if (sid == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        String status = webhook.param("MessageStatus") != null ? webhook.param("MessageStatus")
                : webhook.param("SmsStatus");
        var event = CallbackEvent.of(webhook, MESSAGE_STATUS, sid, status, null);
        Integer code = CallbackEvent.integer(webhook.param("ErrorCode"));
        UUID messageId = outboundMessageId(ctx);
        Uni<Void> attach = messageId == null ? Uni.createFrom().voidItem()
                : events.attachOutboundSid(messageId, sid, webhook.accountSid()).onFailure().recoverWithItem(f -> {
                    LOG.warnf("message %s: sid %s not attached: %s", messageId, sid, f.getMessage());
                    return null;
                });
        attach.chain(() -> events.storeStatus(event, webhook.accountSid(), code == null || code == 0 ? null : code))
                .subscribe().with(
                        inserted -> ctx.response().setStatusCode(204).end(),
                        failure -> unavailable(ctx, event, failure));
    }

    /** The message id this service put in the StatusCallback URL of a message it sent, if any. */
    private static UUID outboundMessageId(RoutingContext ctx) {
        String id = ctx.queryParams().get("messageId");
        if (id == null) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    void inbound(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        String sid = sid(webhook);
        if (sid == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        Route route = webhook.param("To") == null ? null : routing.find(webhook.param("To")).orElse(null);
        if (route != null && !route.accountSid().equals(webhook.accountSid())) {
            // Signed by a connected account, but for a number imported under another one.
            ctx.response().setStatusCode(403).end();
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
            ctx.response().putHeader("Content-Type", TEXT_XML).end(replies.twiml(route, word));
            if (inserted && replies.needsRestReply(route, word)) {
                replies.replyOverRest(route, from, sid);
            }
        }, failure -> unavailable(ctx, event, failure));
    }

    private static String sid(VerifiedWebhook webhook) {
        String sid = webhook.param("MessageSid") != null ? webhook.param("MessageSid") : webhook.param("SmsSid");
        return sid == null || sid.isBlank() ? null : sid;
    }

    private static void unavailable(RoutingContext ctx, CallbackEvent event, Throwable failure) {
        LOG.errorf("%s callback for %s not stored, answering 503 so Twilio retries: %s", event.type(), event.sid(),
                failure.getMessage());
        ctx.response().setStatusCode(503).end();
    }
}
