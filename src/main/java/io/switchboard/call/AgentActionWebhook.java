package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.db.JsonColumns;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The end of the verb that connected a call to its agent ({@code <Connect>} or {@code <Dial>}, whose action names the
 * agent): a call whose agent could not be reached ({@link AgentOutcome#UNREACHED}) goes to the agent's fallback
 * instead of dead air, {@link CallTwiml#fallback}; any other is hung up. The fallback's own {@code <Dial>} comes back
 * here with {@code step=fallback}: when the transfer number did not take the call either, the caller hears the short
 * message before the hang-up.
 * <p>
 * The agent of an inbound call is read from the in-memory routing table; any other (an outbound call's, or one
 * reassigned since the call came in) from the database, within the organization of the provider that signed the
 * request, and only when the call does need its fallback.
 */
@ApplicationScoped
public class AgentActionWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(AgentActionWebhook.class);
    /** The member of a session's handoff data that names the transfer target. */
    static final String HANDOFF_TARGET = "transferTo";
    static final String HANDOFF_SOURCE = "handoff";
    /** The type of the call event that records a fallback. */
    static final String EVENT = "fallback";

    private final RoutingTable routing;
    private final CallEventRepository calls;
    private final CallTwiml twiml;
    private final JsonColumns json;
    private final AgentHandoff handoff;

    public AgentActionWebhook(RoutingTable routing, CallEventRepository calls, CallTwiml twiml, JsonColumns json,
            AgentHandoff handoff) {
        this.routing = routing;
        this.calls = calls;
        this.twiml = twiml;
        this.json = json;
        this.handoff = handoff;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_AGENT_ACTION;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        AgentOutcome outcome = AgentOutcome.of(webhook.params());
        boolean fallbackStep = WebhookEndpoint.STEP_FALLBACK.equals(ctx.request().getParam(WebhookEndpoint.STEP));
        UUID agentId = agentId(ctx);
        String handoffTarget = outcome == AgentOutcome.ENDED && agentId != null
                ? handoffTarget(webhook.param("HandoffData")) : null;
        if (handoffTarget != null) {
            handOff(webhook, ctx, agentId, handoffTarget);
            return;
        }
        if (outcome != AgentOutcome.UNREACHED || agentId == null) {
            answer(ctx, outcome == AgentOutcome.UNREACHED ? twiml.unreachable() : twiml.hangup());
            return;
        }
        LOG.infof("call %s: %s of agent %s not reached; %s", LogText.safe(webhook.param("CallSid")),
                fallbackStep ? "the transfer number" : "the endpoint", agentId,
                fallbackStep ? "ending the call" : "falling back");
        if (fallbackStep) {
            recorded(webhook, agentId, "fallback", "message").subscribe().with(
                    ignored -> answer(ctx, twiml.unreachable()), failure -> answer(ctx, twiml.unreachable()));
            return;
        }
        agent(agentId, webhook).call(agent -> recorded(webhook, agentId, "agent",
                agent == null || agent.transferNumber() == null ? "message" : "transfer-number"))
                .map(twiml::fallback).subscribe().with(answer -> answer(ctx, answer), failure -> {
                    LOG.errorf("call %s: agent %s: could not read its fallback: %s",
                            LogText.safe(webhook.param("CallSid")),
                            agentId, LogText.safe(failure.getMessage()));
                    answer(ctx, twiml.unreachable());
                });
    }

    /**
     * A ConversationRelay session the application ended with {@code {"type":"end","handoffData":"…"}}: Twilio passes
     * that string to the {@code <Connect action>} as {@code HandoffData}
     * (https://www.twilio.com/docs/voice/twiml/connect/conversationrelay). A JSON object with a {@code transferTo}
     * (an E.164 number, {@code tel:} or {@code sip:} URI) asks to hand the caller to that target: the call's target,
     * read as a SIP REFER's is; "" for a target that is not one (refused as invalid). Null for anything else (no
     * handoff data, not JSON, no {@code transferTo}), which ends the call as before.
     */
    static String handoffTarget(String handoffData) {
        if (handoffData == null || handoffData.isBlank() || !handoffData.strip().startsWith("{")) {
            return null;
        }
        try {
            Object to = new JsonObject(handoffData).getValue(HANDOFF_TARGET);
            if (to == null) {
                return null;
            }
            String target = to instanceof String text ? ReferWebhook.target(text) : null;
            return target == null ? "" : target;
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /**
     * The caller handed to the target the session named, as a transfer ({@link AgentHandoff}); a refused handoff ends
     * the call as any other ended session does.
     */
    private void handOff(VerifiedWebhook webhook, RoutingContext ctx, UUID agentId, String target) {
        handoff.transfer(webhook, agentId, target.isEmpty() ? null : target, HANDOFF_SOURCE).subscribe().with(
                outcome -> {
                    if (outcome.refusal() != null) {
                        LOG.infof("call %s: handoff of agent %s refused (%s)", LogText.safe(webhook.param("CallSid")),
                                agentId, outcome.refusal().reason());
                    }
                    answer(ctx, outcome.refusal() == null ? outcome.twiml() : twiml.hangup());
                }, failure -> {
                    LOG.errorf("call %s: handoff not handled: %s", LogText.safe(webhook.param("CallSid")),
                            LogText.safe(failure.getMessage()));
                    answer(ctx, twiml.hangup());
                });
    }

    /**
     * The fallback as an event of the call ({@code type: fallback}), so that the platform sees it: {@code status}
     * where the caller went ({@code transfer-number}, or {@code message} and a hang-up), {@code Reason} why the agent
     * (or, at the fallback step, the transfer number) was not reached, {@code Step} which. Stored once per step of a
     * call, whatever Twilio redelivers; a failure to store it is logged, the caller answered all the same.
     */
    private Uni<Void> recorded(VerifiedWebhook webhook, UUID agentId, String step, String status) {
        String sid = webhook.param("CallSid");
        if (webhook.providerId() == null || sid == null) {
            return Uni.createFrom().voidItem();
        }
        var params = new TreeMap<String, List<String>>();
        params.put("Reason", List.of(AgentOutcome.reason(webhook.params())));
        params.put("AgentId", List.of(agentId.toString()));
        params.put("Step", List.of(step));
        return calls.storeProviderEvent(webhook.providerId(), sid, EVENT, status, json.write(params),
                EVENT + "|" + sid + "|" + step)
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("call %s: fallback event not stored: %s", LogText.safe(sid),
                            LogText.safe(failure.getMessage()));
                    return null;
                });
    }

    /** The agent named by the path, as the provider that signed the request may see it; null when none. */
    private Uni<Route.Agent> agent(UUID agentId, VerifiedWebhook webhook) {
        if (webhook.providerId() == null) {
            return Uni.createFrom().nullItem();
        }
        if ("inbound".equals(webhook.param("Direction")) && webhook.param("To") != null) {
            Route route = routing.find(webhook.param("To")).orElse(null);
            if (route != null && route.agent() != null && route.agent().id().equals(agentId)
                    && route.providerId().equals(webhook.providerId())) {
                return Uni.createFrom().item(route.agent());
            }
        }
        return calls.findAgent(agentId, webhook.providerId());
    }

    private UUID agentId(RoutingContext ctx) {
        try {
            return UUID.fromString(ctx.pathParam(endpoint().pathParameter()));
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    private static void answer(RoutingContext ctx, String twiml) {
        ctx.response().putHeader("Content-Type", InboundCallWebhook.TEXT_XML).end(twiml);
    }
}
