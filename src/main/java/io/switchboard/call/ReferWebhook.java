package io.switchboard.call;

import io.switchboard.common.ApiException;
import io.switchboard.common.LogText;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * A SIP agent asks, with a SIP REFER, to hand its caller on: Twilio requests the {@code referUrl} of the agent's
 * {@code <Dial>} with the call's parameters and the REFER's {@code Refer-To} as {@code ReferTransferTarget}, and runs
 * what it is answered on the caller's leg (https://www.twilio.com/docs/voice/twiml/dial#referurl,
 * https://www.twilio.com/docs/voice/api/refer-to-twilio). Accepted, it is a cold transfer ({@link AgentHandoff}),
 * its events with {@code Source: sip-refer}.
 * <p>
 * A refused REFER is answered with an HTTP error rather than TwiML: the agent's {@code <Dial>} has
 * {@code answerOnBridge}, and then a failed fetch of the referUrl keeps the caller with the agent ("Initial call can
 * be re-established", refer-to-twilio), where TwiML would take the caller from it. 400: the target is neither a phone
 * number nor a SIP URI; 403: the call's provider has {@code enableTransfers} off, or the call is not this agent's;
 * 409: the call is not live, is being transferred already, or another control request holds it. Twilio does not retry
 * a 4xx under the connection overrides' default policy.
 * <p>
 * The path names the agent, not the call: a call's TwiML is written before its row exists (the inbound hot path
 * records it behind the answer), so the call is found by its CallSid in the account that signed the request.
 */
@ApplicationScoped
public class ReferWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(ReferWebhook.class);
    static final String SOURCE = "sip-refer";
    /** "The maximum supported length of the Refer-To header" (https://www.twilio.com/docs/voice/api/refer-to-twilio). */
    static final int MAX_REFER_TO = 256;
    private static final Pattern HEADERS =
            Pattern.compile("[A-Za-z0-9-]+=[^&\\s<>\"]*(?:&[A-Za-z0-9-]+=[^&\\s<>\"]*)*");

    private final AgentHandoff handoff;

    public ReferWebhook(AgentHandoff handoff) {
        this.handoff = handoff;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_REFER;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        UUID agentId = TransferWebhooks.callId(ctx, endpoint().pathParameter());
        String callSid = webhook.param("CallSid");
        if (agentId == null || callSid == null) {
            ctx.response().setStatusCode(400).end();
            return;
        }
        handoff.transfer(webhook, agentId, target(webhook.param("ReferTransferTarget")), SOURCE).subscribe().with(
                outcome -> {
                    if (outcome.refusal() != null) {
                        LOG.infof("call %s: SIP REFER of agent %s refused (%s)", LogText.safe(callSid), agentId,
                                outcome.refusal().reason());
                        ctx.response().setStatusCode(outcome.refusal().status()).end();
                    } else {
                        ctx.response().putHeader("Content-Type", InboundCallWebhook.TEXT_XML).end(outcome.twiml());
                    }
                }, failure -> {
                    LOG.errorf("call %s: SIP REFER not handled: %s", LogText.safe(callSid),
                            LogText.safe(failure.getMessage()));
                    ctx.response().setStatusCode(503).end();
                });
    }

    /**
     * The target of a REFER's {@code Refer-To} (an address in angle brackets or bare): a {@code tel:} URI or a bare
     * number as its E.164 number, a {@code sip:} or {@code sips:} URI as it is, headers included (Twilio passes them
     * on to the target); null when it is neither, or longer than Twilio takes.
     */
    static String target(String referTo) {
        if (referTo == null || referTo.length() > MAX_REFER_TO + 2) {
            return null;
        }
        String target = referTo.strip();
        if (target.startsWith("<") && target.endsWith(">")) {
            target = target.substring(1, target.length() - 1).strip();
        }
        if (target.isEmpty() || target.length() > MAX_REFER_TO) {
            return null;
        }
        if (target.regionMatches(true, 0, "tel:", 0, 4)) {
            String number = target.substring(4).split(";", 2)[0];
            return PhoneNumbers.isE164(number) ? number : null;
        }
        if (PhoneNumbers.isE164(target)) {
            return target;
        }
        if (!TransferRequest.isSip(target)) {
            return null;
        }
        int query = target.indexOf('?');
        String uri = query < 0 ? target : target.substring(0, query);
        if (query >= 0 && !HEADERS.matcher(target.substring(query + 1)).matches()) {
            return null;
        }
        try {
            new TransferRequest(uri, TransferRequest.COLD, null, null, null).validate(null);
        } catch (ApiException e) {
            return null;
        }
        return target;
    }
}
