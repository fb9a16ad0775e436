package io.switchboard.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.quarkus.arc.All;
import io.switchboard.common.LogContext;
import io.switchboard.common.LogText;
import io.switchboard.twilio.TwilioConfig;
import io.switchboard.twilio.WebhookEndpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Mounts everything under {@code /twilio}: first the gate every request passes, a bounded body (413 beyond
 * {@code switchboard.twilio.webhook.max-body-bytes}), a form or JSON content type (415 otherwise) and the signature check (403);
 * then each {@link WebhookEndpoint} with the one {@link WebhookHandler} a feature provides for it. Start-up fails
 * when an endpoint has no handler or more than one.
 * <p>
 * The endpoints are plain Vert.x routes rather than REST resources: they answer Twilio in microseconds on the event
 * loop, and the signature needs the raw URL and every form parameter as sent.
 */
@ApplicationScoped
public class WebhookRoutes {

    static final String PREFIX = WebhookEndpoint.PREFIX + "*";
    /** The raw body on the routing context, as a {@link Buffer}. */
    static final String RAW_BODY = "switchboard.webhook-body";
    /** The request's {@link WebhookEndpoint} on the routing context; absent for a path that is none. */
    static final String ENDPOINT = "switchboard.webhook-endpoint";

    private final SignatureCheck signatures;
    private final WebhookRefusals refusals;
    private final WebhookMetrics timings;
    private final TwilioConfig config;
    private final List<WebhookHandler> handlers;
    /** Body bytes held by the requests being read or handled, across every event loop. */
    private final AtomicLong buffered = new AtomicLong();

    public WebhookRoutes(SignatureCheck signatures, WebhookRefusals refusals, WebhookMetrics timings,
            TwilioConfig config, @All List<WebhookHandler> handlers, MeterRegistry metrics) {
        this.signatures = signatures;
        this.refusals = refusals;
        this.timings = timings;
        this.config = config;
        this.handlers = handlers;
        Gauge.builder("switchboard.webhook.bodies.buffered", buffered, AtomicLong::get).baseUnit("bytes")
                .description("Webhook body bytes held in memory").register(metrics);
    }

    void mount(@Observes Router router) {
        Map<WebhookEndpoint, WebhookHandler> byEndpoint = byEndpoint(handlers);
        router.route(PREFIX).order(-30).handler(this::requirePostWithKnownType);
        router.route(PREFIX).order(-20).handler(this::readBody);
        router.route(PREFIX).order(-10).handler(signatures);
        router.route(PREFIX).order(-10).failureHandler(WebhookRoutes::emptyFailure);
        byEndpoint.forEach((endpoint, handler) -> router.post(endpoint.route()).handler(ctx -> {
            VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
            logContext(webhook);
            handler.handle(webhook, ctx);
        }));
    }

    /**
     * What every log line of a verified webhook says it is about, and the same on the request's span, so that one
     * call can be followed from its webhooks to the database and Twilio (a no-op span while tracing is off).
     */
    private static void logContext(VerifiedWebhook webhook) {
        Span span = Span.current();
        String account = LogText.safe(webhook.accountSid());
        LogContext.put(LogContext.ACCOUNT_SID, account);
        span.setAttribute("twilio.account_sid", account);
        if (webhook.providerId() != null) {
            LogContext.put(LogContext.PROVIDER_ID, webhook.providerId());
            span.setAttribute("switchboard.provider_id", webhook.providerId().toString());
        }
        String call = webhook.param("CallSid");
        if (call != null) {
            LogContext.put(LogContext.CALL_SID, LogText.safe(call));
            span.setAttribute("twilio.call_sid", LogText.safe(call));
        }
        String message = webhook.param("MessageSid");
        if (message != null) {
            LogContext.put(LogContext.MESSAGE_SID, LogText.safe(message));
            span.setAttribute("twilio.message_sid", LogText.safe(message));
        }
    }

    /** Each endpoint's handler; refuses to start with an endpoint that has none, or two. */
    static Map<WebhookEndpoint, WebhookHandler> byEndpoint(List<WebhookHandler> handlers) {
        var byEndpoint = new EnumMap<WebhookEndpoint, WebhookHandler>(WebhookEndpoint.class);
        var problems = new ArrayList<String>();
        for (WebhookHandler handler : handlers) {
            WebhookHandler other = byEndpoint.putIfAbsent(handler.endpoint(), handler);
            if (other != null) {
                problems.add(handler.endpoint() + " has two handlers: " + name(other) + " and " + name(handler));
            }
        }
        for (WebhookEndpoint endpoint : WebhookEndpoint.values()) {
            if (!byEndpoint.containsKey(endpoint)) {
                problems.add(endpoint + " has no handler");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Twilio webhooks cannot be mounted: " + String.join("; ", problems));
        }
        return byEndpoint;
    }

    /** The handler's own class, not the client proxy CDI hands out. */
    private static String name(WebhookHandler handler) {
        return handler.getClass().getSimpleName().replace("_ClientProxy", "");
    }

    private void requirePostWithKnownType(RoutingContext ctx) {
        long started = System.nanoTime();
        WebhookEndpoint endpoint = WebhookEndpoint.ofPath(ctx.request().path());
        if (endpoint != null) {
            ctx.put(ENDPOINT, endpoint);
        }
        ctx.addEndHandler(
                done -> timings.record(endpoint, ctx.response().getStatusCode(), System.nanoTime() - started));
        if (!"POST".equals(ctx.request().method().name())) {
            refusals.record(ctx, "method_not_allowed");
            ctx.response().setStatusCode(405).putHeader("Allow", "POST").end();
            return;
        }
        String type = ctx.request().getHeader("Content-Type");
        if (type == null
                || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("application/json"))) {
            refusals.record(ctx, "unsupported_type");
            ctx.response().setStatusCode(415).end();
            return;
        }
        ctx.next();
    }

    /**
     * Reads the body whole, up to {@code switchboard.twilio.webhook.max-body-bytes} (413 beyond it, whether declared by
     * Content-Length or found while reading), and keeps it raw for the signature check, which parses it once. The
     * buffer grows as bytes arrive, never to the declared length up front: 2,500 connections that declared 64 KiB and
     * sent nothing exhausted a 179 MiB heap that way. A body slower than {@code body-timeout} is answered 408, and one
     * that would take the bodies in memory past {@code max-buffered-bytes} 503; both close their connection.
     */
    private void readBody(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        long limit = config.webhook().maxBodyBytes();
        String declared = request.getHeader("Content-Length");
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            refusals.record(ctx, "bad_length");
            ctx.fail(400);
            return;
        }
        if (length > limit) {
            refusals.record(ctx, "body_too_large");
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
        var read = new BodyRead(ctx);
        request.handler(read::append);
        request.endHandler(end -> read.complete());
        request.exceptionHandler(ctx::fail);
        request.resume();
    }

    /** One body being read: its bytes, what they hold of the shared budget, and its deadline. */
    private final class BodyRead {

        private final RoutingContext ctx;
        private final Buffer body = Buffer.buffer(0);
        private final long deadline;
        private long reserved;
        private boolean refused;

        BodyRead(RoutingContext ctx) {
            this.ctx = ctx;
            this.deadline =
                    ctx.vertx().setTimer(config.webhook().bodyTimeout().toMillis(), id -> refuse(408, "body_timeout"));
            ctx.addEndHandler(done -> release());
        }

        void append(Buffer chunk) {
            if (refused || ctx.failed()) {
                return;
            }
            if (body.length() + chunk.length() > config.webhook().maxBodyBytes()) {
                refused = true;
                ctx.vertx().cancelTimer(deadline);
                refusals.record(ctx, "body_too_large");
                ctx.fail(413);
                return;
            }
            if (buffered.addAndGet(chunk.length()) > config.webhook().maxBufferedBytes()) {
                buffered.addAndGet(-chunk.length());
                refuse(503, "bodies_over_budget");
                return;
            }
            reserved += chunk.length();
            body.appendBuffer(chunk);
        }

        void complete() {
            ctx.vertx().cancelTimer(deadline);
            if (!refused && !ctx.failed()) {
                ctx.put(RAW_BODY, body);
                ctx.next();
            }
        }

        /** Answers and closes: the rest of the body would otherwise still have to be read from the connection. */
        private void refuse(int status, String reason) {
            if (refused || ctx.failed() || ctx.response().ended()) {
                return;
            }
            refused = true;
            refusals.record(ctx, reason);
            ctx.vertx().cancelTimer(deadline);
            HttpConnection connection = ctx.request().connection();
            ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE).end()
                    .onComplete(sent -> connection.close());
        }

        private void release() {
            ctx.vertx().cancelTimer(deadline);
            buffered.addAndGet(-reserved);
            reserved = 0;
        }
    }

    /** Twilio reads only the status; a refused or failed webhook answers with no body that could leak anything. */
    private static void emptyFailure(RoutingContext ctx) {
        int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
        if (!ctx.response().ended()) {
            ctx.response().setStatusCode(status).end();
        }
    }
}
