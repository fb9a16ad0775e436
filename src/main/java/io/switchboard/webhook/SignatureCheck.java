package io.switchboard.webhook;

import io.switchboard.twilio.TwilioSignature;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The one gate in front of every {@code /twilio} endpoint: the request must carry a valid X-Twilio-Signature for the
 * URL Twilio called — rebuilt from {@code TWILIO_WEBHOOK_PUBLIC_BASE_URL} and the raw path and query, since behind an
 * ingress the URL this process sees is not the one Twilio signed, and with the connection overrides the URL was
 * registered with, which Twilio signs but never sends (the bare URL is accepted too, see
 * {@link WebhookUrls#signedUrls}) — made with the auth token of the provider that owns the resource the webhook
 * concerns ({@link #ownerNumber}), or that provider's previous token during its grace. Another organization that
 * connected the same Twilio account holds its own copy of the account's token, which stops being Twilio's once the
 * owner rotates it: it is never tried for the owner's numbers. Anything else is a 403 with an empty body, counted and logged by reason
 * ({@link WebhookRefusals}), never
 * with the signature or the parameters.
 * <p>
 * Regions: a number whose voice is processed in IE1 or AU1 has its webhooks signed in that Region, whose auth token
 * is its own (credentials are a Region-specific resource: an auth token is valid only in the Region it was created in,
 * https://www.twilio.com/docs/global-infrastructure/manage-regional-api-credentials; the processing Region itself looks
 * up the number's configuration and makes the request to its webhook URL,
 * https://www.twilio.com/docs/global-infrastructure/inbound-call-processing). A provider connected in ie1 or au1
 * holds that Region's auth token, so its own token is the one accepted for its voice webhooks, and no US1 token.
 * Messaging differs: AU1 has no Programmable Messaging and a number's messaging Region is US1 unless set otherwise
 * (https://www.twilio.com/docs/global-infrastructure/regional-product-and-feature-availability,
 * https://www.twilio.com/docs/api/errors/21669), so the SMS webhooks of such a number are processed, and signed, in
 * US1: for them the provider's US1 auth token (the US1 credentials a provider outside us1 may carry) is accepted as
 * well as its own Region's.
 */
@ApplicationScoped
public class SignatureCheck implements Handler<RoutingContext> {

    static final String IDEMPOTENCY_HEADER = "I-Twilio-Idempotency-Token";

    private final WebhookKeys keys;
    private final NumberOwners owners;
    private final WebhookUrls urls;
    private final WebhookRefusals refusals;

    public SignatureCheck(WebhookKeys keys, NumberOwners owners, WebhookUrls urls, WebhookRefusals refusals) {
        this.keys = keys;
        this.owners = owners;
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
        Predicate<List<String>> signedWith;
        Signers signers;
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
            signers = signers(ctx, account, params);
            signedWith = tokens -> TwilioSignature.isValidJson(signature, signedFor, body, tokens);
        } else {
            try {
                params = FormParams.parse(body);
            } catch (IllegalArgumentException e) {
                refuse(ctx, "malformed_body");
                return;
            }
            signers = signers(ctx, params.get("AccountSid"), params);
            var map = params.asMap();
            signedWith = tokens -> TwilioSignature.isValid(signature, signedFor, map, tokens);
        }
        if (signers.tokens().isEmpty()) {
            refuse(ctx, "unknown_owner");
            return;
        }
        if (!signedWith.test(signers.tokens())) {
            refuse(ctx, "bad_signature");
            return;
        }
        List<UUID> signedBy = signers.providerId() != null ? List.of(signers.providerId())
                : signedBy(params.get("AccountSid"), signers.inUs1(), signedWith);
        ctx.put(VerifiedWebhook.KEY, new VerifiedWebhook(params.get("AccountSid"), signers.providerId(), signedBy,
                params, ctx.request().getHeader(IDEMPOTENCY_HEADER)));
        ctx.next();
    }

    /**
     * Which providers of the account a webhook about no number imported here was signed by: each provider's tokens
     * tried on their own, so that a callback about a call or message changes it only when its own provider signed it
     * (another organization's copy of the account's token forges nothing of the owner's). Rare: only the webhooks that
     * name no imported number come here.
     */
    private List<UUID> signedBy(String accountSid, boolean inUs1, Predicate<List<String>> signedWith) {
        var signed = new ArrayList<UUID>(1);
        keys.tokensByProviderOf(accountSid, inUs1).forEach((providerId, tokens) -> {
            if (signedWith.test(tokens)) {
                signed.add(providerId);
            }
        });
        return List.copyOf(signed);
    }

    /** Who may have signed a webhook: the owning provider (null when nobody here owns it) and the tokens to try. */
    private record Signers(UUID providerId, List<String> tokens, boolean inUs1) {

        static final Signers NONE = new Signers(null, List.of(), false);
    }

    /**
     * The tokens of the provider that owns the number the webhook concerns, and only when the webhook names that
     * provider's account. A webhook about no number imported here (one whose URLs still point here, or a recording's
     * status, which names no number) concerns no organization's number: it is checked against every provider of the
     * account, as it always was, and reaches its handler with no provider, so a handler never gives it an
     * organization's data. Empty when nobody here can have signed it.
     */
    private Signers signers(RoutingContext ctx, String accountSid, FormParams params) {
        WebhookEndpoint endpoint = ctx.get(WebhookRoutes.ENDPOINT);
        if (endpoint == null || accountSid == null) {
            return Signers.NONE;
        }
        String number = ownerNumber(endpoint, params);
        boolean inUs1 = processedInUs1(endpoint);
        Optional<UUID> owner = number == null ? Optional.empty() : owners.providerOf(number);
        if (owner.isPresent()) {
            return new Signers(owner.get(), keys.tokensFor(owner.get(), accountSid, inUs1), inUs1);
        }
        return new Signers(null, keys.tokensForEveryProviderOf(accountSid, inUs1), inUs1);
    }

    /**
     * Whether Twilio may process this webhook in US1 whatever the provider's Region: messaging, whose Region is US1
     * for a number of any Region unless set otherwise (and AU1 has no Messaging at all), so its webhooks are signed
     * with the account's US1 auth token (see the class comment).
     */
    static boolean processedInUs1(WebhookEndpoint endpoint) {
        return endpoint == WebhookEndpoint.MESSAGING_INBOUND || endpoint == WebhookEndpoint.MESSAGING_STATUS;
    }

    /**
     * The imported number whose provider a webhook is verified with: the called number of an inbound call or SMS and
     * of an inbound call's status callbacks; the calling number (this service's, which placed the call or sent the
     * message from it) of an outbound call's answer and status callbacks and of a message's status callbacks. Null
     * for the recording, answering machine detection and transfer endpoints, which name no number of this service
     * reliably (a transfer's target leg may carry the caller's number as its caller ID).
     */
    static String ownerNumber(WebhookEndpoint endpoint, FormParams params) {
        return switch (endpoint) {
            case VOICE_INBOUND, MESSAGING_INBOUND -> params.get("To");
            // An agent action and a SIP agent's REFER carry the parameters of the call the agent is in, as its
            // status callbacks do.
            case VOICE_STATUS, VOICE_AGENT_ACTION, VOICE_REFER ->
                "inbound".equals(params.get("Direction")) ? params.get("To")
                        : params.get("From");
            case VOICE_OUTBOUND, MESSAGING_STATUS -> params.get("From");
            case VOICE_RECORDING, VOICE_AMD, VOICE_TRANSFER, VOICE_TRANSFER_TARGET, VOICE_TRANSFER_ANNOUNCEMENT,
                    VOICE_TRANSFER_CONFERENCE ->
                null;
        };
    }

    private void refuse(RoutingContext ctx, String reason) {
        refusals.record(ctx, reason);
        ctx.response().setStatusCode(403).end();
    }
}
