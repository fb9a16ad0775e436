package io.switchboard.webhook;

import io.switchboard.twilio.TwilioConfig;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Mounts the gate every {@code /twilio} request passes, ahead of the endpoints: a bounded body (413 beyond
 * {@code twilio.webhook.max-body-bytes}), a form or JSON content type (415 otherwise), and the signature check (403).
 * The endpoints are plain Vert.x routes rather than REST resources: they answer Twilio in microseconds on the event
 * loop, and the signature needs the raw URL and every form parameter as sent.
 */
@ApplicationScoped
public class WebhookRoutes {

    static final String PREFIX = "/twilio/*";

    private final SignatureCheck signatures;
    private final TwilioConfig config;

    public WebhookRoutes(SignatureCheck signatures, TwilioConfig config) {
        this.signatures = signatures;
        this.config = config;
    }

    void mount(@Observes Router router) {
        router.route(PREFIX).order(-30).handler(WebhookRoutes::requirePostWithKnownType);
        router.route(PREFIX).order(-20).handler(BodyHandler.create(false)
                .setBodyLimit(config.webhook().maxBodyBytes())
                .setMergeFormAttributes(false)
                .setHandleFileUploads(false));
        router.route(PREFIX).order(-10).handler(signatures);
        router.route(PREFIX).order(-10).failureHandler(WebhookRoutes::emptyFailure);
    }

    private static void requirePostWithKnownType(RoutingContext ctx) {
        if (!"POST".equals(ctx.request().method().name())) {
            ctx.response().setStatusCode(405).putHeader("Allow", "POST").end();
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("application/json"))) {
            ctx.response().setStatusCode(415).end();
            return;
        }
        ctx.next();
    }

    /** Twilio reads only the status; a refused or failed webhook answers with no body that could leak anything. */
    private static void emptyFailure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
