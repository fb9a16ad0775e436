package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.LogText;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
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

    private final RoutingTable routing;
    private final CallEventRepository calls;
    private final CallTwiml twiml;

    public AgentActionWebhook(RoutingTable routing, CallEventRepository calls, CallTwiml twiml) {
        this.routing = routing;
        this.calls = calls;
        this.twiml = twiml;
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
        if (outcome != AgentOutcome.UNREACHED || agentId == null) {
            answer(ctx, outcome == AgentOutcome.UNREACHED ? twiml.unreachable() : twiml.hangup());
            return;
        }
        LOG.infof("call %s: %s of agent %s not reached; %s", LogText.safe(webhook.param("CallSid")),
                fallbackStep ? "the transfer number" : "the endpoint", agentId,
                fallbackStep ? "ending the call" : "falling back");
        if (fallbackStep) {
            answer(ctx, twiml.unreachable());
            return;
        }
        agent(agentId, webhook).map(twiml::fallback).subscribe().with(answer -> answer(ctx, answer), failure -> {
            LOG.errorf("call %s: agent %s: could not read its fallback: %s", LogText.safe(webhook.param("CallSid")),
                    agentId, LogText.safe(failure.getMessage()));
            answer(ctx, twiml.unreachable());
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
