package io.switchboard.webhook;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.db.Database;
import io.vertx.ext.web.RoutingContext;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How a callback is answered: 400 for one that cannot be stored, and once its write is under way a 2xx only once it
 * is stored, and 503 when it could not be, so Twilio retries and nothing is acknowledged that was lost.
 */
public final class CallbackAnswers {

    private static final Logger LOG = Logger.getLogger(CallbackAnswers.class);

    private CallbackAnswers() {
    }

    /**
     * The id this service put in the query of a callback URL it registered ({@code callId}, {@code messageId}); null
     * when the URL carries none, or something that is not an id (then the callback is matched by its sid alone).
     */
    public static UUID idInQuery(RoutingContext ctx, String name) {
        String id = ctx.queryParams().get(name);
        if (id == null) {
            return null;
        }
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The callback's sid, named by the parameter {@code name}; null when the callback cannot be recorded against it,
     * and then it has been answered 400 (see {@link #requireStorable}).
     */
    public static String requireSid(VerifiedWebhook webhook, String name, RoutingContext ctx) {
        return requireStorable(webhook, webhook.param(name), ctx);
    }

    /**
     * The sid, when it and the idempotency token can be stored as sent; otherwise null, and the callback has been
     * answered 400 and the refusal logged. Without a sid there is nothing to record the callback against; a sid or
     * token that is over-long or carries a control character (NUL, which PostgreSQL refuses, or CR and LF) would fail
     * its insert on every redelivery. A 4xx is what Twilio does not retry, where a 503 would have it retry forever.
     */
    public static String requireStorable(VerifiedWebhook webhook, String sid, RoutingContext ctx) {
        String token = webhook.idempotencyToken();
        String problem = sid == null || sid.isBlank() ? "no sid"
                : !CallbackEvent.isStorableIdentifier(sid, CallbackEvent.MAX_SID) ? "a sid that cannot be stored"
                        : token != null && !CallbackEvent.isStorableIdentifier(token, CallbackEvent.MAX_TOKEN)
                                ? "an idempotency token that cannot be stored" : null;
        if (problem == null) {
            return sid;
        }
        LOG.warnf("refused a callback to %s with %s (sid %s), answering 400", LogText.safe(ctx.request().path()),
                problem,
                LogText.safe(sid));
        ctx.response().setStatusCode(400).end();
        return null;
    }

    /** 204 once {@code stored} completes; if it fails, as {@link #notStored} says. */
    public static void noContentOnceStored(RoutingContext ctx, CallbackEvent event, Uni<?> stored) {
        stored.subscribe().with(ok -> ctx.response().setStatusCode(204).end(), failure -> notStored(ctx, event,
                failure));
    }

    /**
     * The callback could not be stored: 503, so Twilio retries; but 400 when PostgreSQL refused a value the callback
     * carries (a data error or a limit, which no retry changes), where a 503 would have Twilio retry it for ever. The
     * reason is logged with the callback's type and sid only.
     */
    public static void notStored(RoutingContext ctx, CallbackEvent event, Throwable failure) {
        if (Database.isBadValue(failure)) {
            LOG.errorf("%s callback for %s refused by the database (SQLSTATE %s), answering 400: a retry would fail"
                    + " the same way", event.type(), LogText.safe(event.sid()),
                    Database.sqlState(failure).orElse("none"));
            ctx.response().setStatusCode(400).end();
        } else {
            LOG.errorf("%s callback for %s not stored, answering 503 so Twilio retries: %s", event.type(),
                    LogText.safe(event.sid()), LogText.safe(failure.getMessage()));
            ctx.response().setStatusCode(503).end();
        }
    }
}
