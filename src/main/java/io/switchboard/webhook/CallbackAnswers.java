package io.switchboard.webhook;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.db.Database;
import io.switchboard.twilio.WebhookEndpoint;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How a callback is answered: 400 for one that cannot be stored, and once its write is under way a 2xx only once it
 * is stored, and 503 when it could not be, so Twilio retries and nothing is acknowledged that was lost. Each answer is
 * counted once in {@code switchboard_callbacks_total{kind, outcome}}: {@code stored} (new), {@code duplicate} (a
 * redelivery, which changed nothing and is answered like the first) or {@code refused} (not stored: answered 4xx or
 * 503); {@code kind} is the endpoint.
 */
@ApplicationScoped
// Created at start, so that its metrics read 0 before their first event (alerts work from the start).
@Startup
public class CallbackAnswers {

    private static final Logger LOG = Logger.getLogger(CallbackAnswers.class);
    /** The endpoints whose callbacks are stored, each a {@code kind}. */
    static final List<WebhookEndpoint> KINDS = List.of(WebhookEndpoint.VOICE_STATUS,
            WebhookEndpoint.VOICE_RECORDING, WebhookEndpoint.VOICE_AMD, WebhookEndpoint.MESSAGING_STATUS,
            WebhookEndpoint.MESSAGING_INBOUND);

    /** What came of a callback. */
    public enum Outcome {
        STORED, DUPLICATE, REFUSED
    }

    private final Map<WebhookEndpoint, Map<Outcome, Counter>> counters = new EnumMap<>(WebhookEndpoint.class);

    public CallbackAnswers(MeterRegistry registry) {
        for (WebhookEndpoint kind : KINDS) {
            var byOutcome = new EnumMap<Outcome, Counter>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                byOutcome.put(outcome, Counter.builder("switchboard.callbacks")
                        .tag("kind", kind.name().toLowerCase(Locale.ROOT))
                        .tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
                        .description("Twilio callbacks stored, redelivered (duplicate) or not stored (refused)")
                        .register(registry));
            }
            counters.put(kind, byOutcome);
        }
    }

    /** Counts one callback to the endpoint of {@code ctx}'s path; none for an endpoint whose callbacks are not kept. */
    public void count(RoutingContext ctx, Outcome outcome) {
        var byOutcome = counters.get(WebhookEndpoint.ofPath(ctx.request().path()));
        if (byOutcome != null) {
            byOutcome.get(outcome).increment();
        }
    }

    /** Answers {@code status} to a callback that is not stored (a 4xx), and counts it refused. */
    public void refuse(RoutingContext ctx, int status) {
        count(ctx, Outcome.REFUSED);
        ctx.response().setStatusCode(status).end();
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
    public String requireSid(VerifiedWebhook webhook, String name, RoutingContext ctx) {
        return requireStorable(webhook, webhook.param(name), ctx);
    }

    /**
     * The sid, when it and the idempotency token can be stored as sent; otherwise null, and the callback has been
     * answered 400 and the refusal logged. Without a sid there is nothing to record the callback against; a sid or
     * token that is over-long or carries a control character (NUL, which PostgreSQL refuses, or CR and LF) would fail
     * its insert on every redelivery. A 4xx is what Twilio does not retry, where a 503 would have it retry forever.
     */
    public String requireStorable(VerifiedWebhook webhook, String sid, RoutingContext ctx) {
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
        refuse(ctx, 400);
        return null;
    }

    /**
     * 204 once {@code stored} completes, with whether the callback was new (false: a redelivery, counted duplicate);
     * if it fails, as {@link #notStored} says.
     */
    public void noContentOnceStored(RoutingContext ctx, CallbackEvent event, Uni<Boolean> stored) {
        stored.subscribe().with(isNew -> {
            count(ctx, Boolean.TRUE.equals(isNew) ? Outcome.STORED : Outcome.DUPLICATE);
            ctx.response().setStatusCode(204).end();
        }, failure -> notStored(ctx, event, failure));
    }

    /**
     * The callback could not be stored: 503, so Twilio retries; but 400 when PostgreSQL refused a value the callback
     * carries (a data error or a limit, which no retry changes), where a 503 would have Twilio retry it for ever. The
     * reason is logged with the callback's type and sid only.
     */
    public void notStored(RoutingContext ctx, CallbackEvent event, Throwable failure) {
        if (Database.isBadValue(failure)) {
            LOG.errorf("%s callback for %s refused by the database (SQLSTATE %s), answering 400: a retry would fail"
                    + " the same way", event.type(), LogText.safe(event.sid()),
                    Database.sqlState(failure).orElse("none"));
            refuse(ctx, 400);
        } else {
            LOG.errorf("%s callback for %s not stored, answering 503 so Twilio retries: %s", event.type(),
                    LogText.safe(event.sid()), LogText.safe(failure.getMessage()));
            refuse(ctx, 503);
        }
    }
}
