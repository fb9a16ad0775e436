package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.CallbackAnswers;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Message status callbacks: 204 once stored, 503 when they could not be (Twilio then retries). */
@ApplicationScoped
public class MessageStatusWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(MessageStatusWebhook.class);
    static final String MESSAGE_STATUS = "message-status";

    private final MessageEventRepository events;
    private final CallbackAnswers answers;

    public MessageStatusWebhook(MessageEventRepository events, CallbackAnswers answers) {
        this.events = events;
        this.answers = answers;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.MESSAGING_STATUS;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = answers.requireStorable(webhook, InboundSmsWebhook.sid(webhook), ctx);
        if (sid == null) {
            return;
        }
        String status = webhook.param("MessageStatus") != null ? webhook.param("MessageStatus")
                : webhook.param("SmsStatus");
        var event = CallbackEvent.of(webhook, MESSAGE_STATUS, sid, status, null);
        Integer code = CallbackEvent.integer(webhook.param("ErrorCode"));
        UUID messageId = CallbackAnswers.idInQuery(ctx, WebhookEndpoint.MESSAGE_ID);
        Uni<Void> attach = messageId == null ? Uni.createFrom().voidItem()
                : events.attachOutboundSid(messageId, sid, webhook.accountSid(), webhook.signedByArray()).onFailure()
                        .recoverWithItem(f -> {
                            LOG.warnf("message %s: sid %s not attached: %s", messageId, sid,
                                    LogText.safe(f.getMessage()));
                            return null;
                        });
        answers.noContentOnceStored(ctx, event, attach.chain(() -> events.storeStatus(event,
                webhook.accountSid(), webhook.signedByArray(), code == null || code == 0 ? null : code)));
    }
}
