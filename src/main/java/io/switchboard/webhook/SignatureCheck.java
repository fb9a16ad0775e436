package io.switchboard.webhook;

import io.switchboard.twilio.TwilioSignature;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one gate in front of every {@code /twilio} endpoint: the request must carry a valid X-Twilio-Signature for the
 * URL Twilio called — rebuilt from {@code TWILIO_WEBHOOK_PUBLIC_BASE_URL} and the raw path and query, since behind an
 * ingress the URL this process sees is not the one Twilio signed, and with the connection overrides the URL was
 * registered with, which Twilio signs but never sends (the bare URL is accepted too, see
 * {@link WebhookUrls#signedUrls}) — made with an auth token of the account named by {@code AccountSid}. Anything else is a 403 with an empty body, counted and logged by reason ({@link WebhookRefusals}), never with the
 * signature or the parameters.
 */
@ApplicationScoped
public class SignatureCheck implements Handler<RoutingContext> {

    static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";

    private final WebhookKeys keys;
    private final WebhookUrls urls;
    private final WebhookRefusals refusals;

    public SignatureCheck(WebhookKeys keys, WebhookUrls urls, WebhookRefusals refusals) {
        this.keys = keys;
        this.urls = urls;
        this.refusals = refusals;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String signature = ctx.request().getHeader(TwilioSignature.HEADER);
        if (signature == null || signature.isEmpty()) {
            refuse(ctx, "missing_signature");
            return;
        }
        List<String> signedFor = urls.signedUrls(ctx.request().path(), ctx.request().query());
        String contentType = ctx.request().getHeader("Content-Type");
        Buffer raw = ctx.get(WebhookRoutes.RAW_BODY);
        String body = raw == null ? "" : raw.toString(StandardCharsets.UTF_8);
        FormParams params;
        boolean valid;
        List<String> tokens;
        if (contentType != null && contentType.startsWith("application/json")) {
            JsonObject json;
            try {
                json = body.isBlank() ? new JsonObject() : new JsonObject(body);
            } catch (RuntimeException e) {
                refuse(ctx, "malformed_body");
                return;
            }
            params = FormParams.of(json);
            String account = json.getString("AccountSid", ctx.request().getParam("AccountSid"));
            tokens = keys.tokensFor(account);
            valid = !tokens.isEmpty() && TwilioSignature.isValidJson(signature, signedFor, body, tokens);
        } else {
            try {
                params = FormParams.parse(body);
            } catch (IllegalArgumentException e) {
                refuse(ctx, "malformed_body");
                return;
            }
            tokens = keys.tokensFor(params.get("AccountSid"));
            valid = !tokens.isEmpty() && TwilioSignature.isValid(signature, signedFor, params.asMap(), tokens);
        }
        if (tokens.isEmpty()) {
            refuse(ctx, "unknown_account");
            return;
        }
        if (!valid) {
            refuse(ctx, "bad_signature");
            return;
        }
        ctx.put(VerifiedWebhook.KEY, new VerifiedWebhook(params.get("AccountSid"), params,
                ctx.request().getHeader(IDEMPOTENCY_HEADER)));
        ctx.next();
    }

    private void refuse(RoutingContext ctx, String reason) {
        refusals.record(ctx, reason);
        ctx.response().setStatusCode(403).end();
    }
}
