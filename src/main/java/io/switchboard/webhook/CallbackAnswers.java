package io.switchboard.webhook;

import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import org.jboss.logging.Logger;

/**
 * How a callback is answered once its write is under way: a 2xx only once it is stored, and 503 when it could not
 * be, so Twilio retries and nothing is acknowledged that was lost.
 */
public final class CallbackAnswers {

    private static final Logger LOG = Logger.getLogger(CallbackAnswers.class);

    private CallbackAnswers() {
    }

    /**
     * The callback's sid, named by the parameter {@code name}; null when it is missing or blank, and then the
     * callback has been answered 400: without a sid there is nothing to record it against.
     */
    public static String requireSid(VerifiedWebhook webhook, String name, RoutingContext ctx) {
        String sid = webhook.param(name);
        if (sid == null || sid.isBlank()) {
            ctx.response().setStatusCode(400).end();
            return null;
        }
        return sid;
    }

    /** 204 once {@code stored} completes, 503 if it fails. */
    public static void noContentOnceStored(RoutingContext ctx, CallbackEvent event, Uni<?> stored) {
        stored.subscribe().with(ok -> ctx.response().setStatusCode(204).end(), failure -> unavailable(ctx, event,
                failure));
    }

    /** The callback could not be stored: 503, and the reason logged with the callback's type and sid only. */
    public static void unavailable(RoutingContext ctx, CallbackEvent event, Throwable failure) {
        LOG.errorf("%s callback for %s not stored, answering 503 so Twilio retries: %s", event.type(), event.sid(),
                failure.getMessage());
        ctx.response().setStatusCode(503).end();
    }
}
