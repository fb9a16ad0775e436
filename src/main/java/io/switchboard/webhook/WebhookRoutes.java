package io.switchboard.webhook;

import io.switchboard.twilio.TwilioConfig;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
    /** The raw body on the routing context, as a {@link Buffer}. */
    static final String RAW_BODY = "switchboard.webhook-body";

    private final SignatureCheck signatures;
    private final TwilioConfig config;

    public WebhookRoutes(SignatureCheck signatures, TwilioConfig config) {
        this.signatures = signatures;
        this.config = config;
    }

    void mount(@Observes Router router) {
        router.route(PREFIX).order(-30).handler(WebhookRoutes::requirePostWithKnownType);
        router.route(PREFIX).order(-20).handler(this::readBody);
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

    /**
     * Reads the body whole, up to {@code twilio.webhook.max-body-bytes} (413 beyond it, whether declared by
     * Content-Length or found while reading), and keeps it raw for the signature check, which parses it once.
     */
    private void readBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long limit = config.webhook().maxBodyBytes();
        String declared = request.getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            ctx.fail(400);
            return;
        }
        if (length > limit) {
            ctx.fail(413);
            return;
        }
        if (request.isEnded()) {
            ctx.put(RAW_BODY, Buffer.buffer());
            ctx.next();
            return;
        }
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect")) && request.version() == HttpVersion.HTTP_1_1) {
            ctx.response().writeContinue();
        }
        Buffer body = Buffer.buffer(length > 0 ? (int) length : 1024);
        request.handler(chunk -> {
            if (ctx.failed()) {
                return;
            }
            if (body.length() + chunk.length() > limit) {
                ctx.fail(413);
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(end -> {
            if (!ctx.failed()) {
                ctx.put(RAW_BODY, body);
                ctx.next();
            }
        });
        request.exceptionHandler(ctx::fail);
        request.resume();
    }

    /** Twilio reads only the status; a refused or failed webhook answers with no body that could leak anything. */
    private static void emptyFailure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
