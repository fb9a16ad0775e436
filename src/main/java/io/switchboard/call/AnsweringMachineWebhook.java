package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.Twiml;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.CallbackAnswers;
import io.switchboard.webhook.CallbackEvent;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The asynchronous answering machine detection callback of an outbound call ({@code AnsweredBy}: human,
 * machine_start, machine_end_beep, machine_end_silence, machine_end_other, fax, unknown;
 * https://www.twilio.com/docs/voice/answering-machine-detection). The result is recorded on the call; on a machine,
 * a {@code hangup} batch ends the live call (a call update {@code Status=completed}) and a {@code message} batch has it
 * run the voicemail, which Twilio reports once the greeting ended ({@code DetectMessageEnd}), so it is heard after
 * the beep. A call that already ended with a machine is retried as its batch says.
 */
@ApplicationScoped
public class AnsweringMachineWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(AnsweringMachineWebhook.class);

    private final AnsweringMachineRepository machines;
    private final CallRetryRepository retries;
    private final CallEventRepository events;
    private final ProviderCredentials credentials;
    private final TwilioClient twilio;
    private final CallTwiml twiml;
    private final CallbackAnswers answers;

    public AnsweringMachineWebhook(AnsweringMachineRepository machines, CallRetryRepository retries,
            CallEventRepository events, ProviderCredentials credentials, TwilioClient twilio, CallTwiml twiml,
            CallbackAnswers answers) {
        this.answers = answers;
        this.machines = machines;
        this.retries = retries;
        this.events = events;
        this.credentials = credentials;
        this.twilio = twilio;
        this.twiml = twiml;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_AMD;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        String sid = answers.requireSid(webhook, "CallSid", ctx);
        if (sid == null) {
            return;
        }
        UUID callId = CallbackAnswers.idInQuery(ctx, WebhookEndpoint.CALL_ID);
        String answeredBy = CallbackEvent.clean(webhook.param("AnsweredBy"));
        if (callId == null || answeredBy == null || answeredBy.length() > 40) {
            // Nothing this service asked for: no call of its own is named, or no result is given.
            ctx.response().setStatusCode(204).end();
            return;
        }
        String account = webhook.accountSid();
        UUID[] signedBy = webhook.signedByArray();
        // Only the first result is recorded: a redelivery (or another account's call) finds nothing to change and is
        // counted a duplicate.
        machines.record(callId, sid, account, signedBy, answeredBy)
                .call(found -> found == null ? Uni.createFrom().voidItem() : act(callId, sid, answeredBy, found))
                .call(() -> retries.scheduleAfter(callId, sid, account, signedBy))
                .subscribe().with(found -> {
                    answers.count(ctx, found != null ? CallbackAnswers.Outcome.STORED
                            : CallbackAnswers.Outcome.DUPLICATE);
                    ctx.response().setStatusCode(204).end();
                }, failure -> {
                    LOG.warnf("outbound call %s: answering machine result not recorded: %s", callId,
                            LogText.safe(failure.getMessage()));
                    answers.refuse(ctx, 503);
                });
    }

    /**
     * What a machine gets. A failure to reach Twilio is logged, not retried: the call goes on with the agent, which
     * is told {@code answeredBy} if it asks again.
     */
    private Uni<Void> act(UUID callId, String sid, String answeredBy,
            AnsweringMachineRepository.Detected call) {
        if (!answeredBy.startsWith("machine_") || call.machineDetection() == null
                || CallStatuses.isTerminal(call.status())) {
            return Uni.createFrom().voidItem();
        }
        Uni<?> action = credentials.find(call.providerId()).chain(creds -> {
            if (creds == null) {
                return Uni.createFrom().voidItem();
            }
            if ("hangup".equals(call.machineDetection())) {
                LOG.infof("outbound call %s: answered by a machine (%s), hanging up", callId, answeredBy);
                return twilio.updateCall(creds, sid, "completed");
            }
            LOG.infof("outbound call %s: answered by a machine (%s), leaving the message", callId, answeredBy);
            return voicemail(callId, sid, answeredBy, call).chain(xml -> twilio.redirectCall(creds, sid, xml));
        });
        return action.onFailure().recoverWithItem(failure -> {
            LOG.warnf("outbound call %s: the machine could not be handled: %s", callId,
                    LogText.safe(failure.getMessage()));
            return null;
        }).replaceWithVoid();
    }

    /** The batch's {@code <Say>} or {@code <Play>} then a hang-up, or else the agent's own TwiML told answeredBy. */
    private Uni<String> voicemail(UUID callId, String sid, String answeredBy,
            AnsweringMachineRepository.Detected call) {
        if (call.voicemailSay() != null) {
            return Uni.createFrom().item(Twiml.response().child(Twiml.say(call.voicemailSay()))
                    .child(Twiml.hangup()).toXml());
        }
        if (call.voicemailPlay() != null) {
            return Uni.createFrom().item(Twiml.response().child(Twiml.element("Play", call.voicemailPlay()))
                    .child(Twiml.hangup()).toXml());
        }
        return events.findOutboundAnswer(callId).map(answer -> {
            var parameters = new HashMap<>(answer.parameters());
            parameters.put("answeredBy", answeredBy);
            return twiml.connect(answer.agent(), sid, call.fromNumber(), call.toNumber(), parameters);
        });
    }
}
