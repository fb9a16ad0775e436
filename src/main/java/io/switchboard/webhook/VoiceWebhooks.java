package io.switchboard.webhook;

import io.smallrye.mutiny.Uni;
import io.switchboard.call.CallTwiml;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The voice webhooks that answer with TwiML: an inbound call to an imported number, and an outbound call whose callee
 * answered. The inbound answer comes from the in-memory {@link RoutingTable}, never from a database round trip, so a
 * caller is connected in microseconds and still while PostgreSQL is down; recording the call is handed on and never
 * delays the answer.
 */
@ApplicationScoped
public class VoiceWebhooks {

    private static final Logger LOG = Logger.getLogger(VoiceWebhooks.class);
    static final String TEXT_XML = "text/xml";

    private final RoutingTable routing;
    private final CallTwiml twiml;
    private final Event<InboundCallAnswered> answered;
    private final Pool pool;

    public VoiceWebhooks(RoutingTable routing, CallTwiml twiml, Event<InboundCallAnswered> answered, Pool pool) {
        this.routing = routing;
        this.twiml = twiml;
        this.answered = answered;
        this.pool = pool;
    }

    void mount(@Observes Router router) {
        router.post("/twilio/voice/inbound").handler(this::inbound);
        router.post("/twilio/voice/outbound/:callId").handler(this::outbound);
    }

    void inbound(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        Route route = routing.find(webhook.param("To")).orElse(null);
        String answer;
        if (route == null) {
            answer = twiml.reject();
        } else if (!route.accountSid().equals(webhook.accountSid())) {
            // Signed by a connected account, but for a number imported under another one.
            ctx.response().setStatusCode(403).end();
            return;
        } else if (route.agent() == null) {
            answer = twiml.noAgent();
        } else {
            answer = twiml.connect(route.agent(), webhook.param("CallSid"), webhook.param("From"), webhook.param("To"));
        }
        ctx.response().putHeader("Content-Type", TEXT_XML).end(answer);
        try {
            answered.fire(new InboundCallAnswered(route, webhook));
        } catch (RuntimeException e) {
            LOG.errorf("recording inbound call %s failed to start: %s", webhook.param("CallSid"), e.getMessage());
        }
    }

    /** The callee of an outbound call answered: connect them to the call's agent. */
    void outbound(RoutingContext ctx) {
        VerifiedWebhook webhook = ctx.get(VerifiedWebhook.KEY);
        UUID callId;
        try {
            callId = UUID.fromString(ctx.pathParam("callId"));
        } catch (IllegalArgumentException e) {
            ctx.response().putHeader("Content-Type", TEXT_XML).end(twiml.hangup());
            return;
        }
        findOutbound(callId).subscribe().with(call -> {
            if (call == null) {
                ctx.response().putHeader("Content-Type", TEXT_XML).end(twiml.hangup());
            } else if (!call.accountSid().equals(webhook.accountSid())) {
                ctx.response().setStatusCode(403).end();
            } else {
                ctx.response().putHeader("Content-Type", TEXT_XML).end(twiml.connect(call.agent(),
                        webhook.param("CallSid"), webhook.param("From"), webhook.param("To")));
            }
        }, failure -> {
            LOG.errorf("outbound call %s: could not read the call: %s", callId, failure.getMessage());
            ctx.response().setStatusCode(503).end();
        });
    }

    private record OutboundCall(String accountSid, Route.Agent agent) {
    }

    /** Outbound calls are not in the routing table: their agent is read with the call, once per answered call. */
    private Uni<OutboundCall> findOutbound(UUID callId) {
        return pool.preparedQuery("""
                select p.account_sid, a.id as agent_id, a.routing_type, a.routing_target, a.parameters,
                       a.recording, a.transfer_number
                  from call c
                  join agent a on a.id = c.agent_id
                  join phone_number n on n.id = c.phone_number_id
                  join provider p on p.id = n.provider_id
                 where c.id = $1 and c.direction = 'outbound'""")
                .execute(Tuple.of(callId))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return null;
                    }
                    Row row = it.next();
                    var agent = new Route.Agent(row.getUUID("agent_id"), row.getString("routing_type"),
                            row.getString("routing_target"), parameters(row.getString("parameters")),
                            "on".equals(row.getString("recording")), row.getString("transfer_number"));
                    return new OutboundCall(row.getString("account_sid"), agent);
                });
    }

    private static Map<String, String> parameters(String json) {
        var object = new JsonObject(json);
        var map = new TreeMap<String, String>();
        object.forEach(e -> map.put(e.getKey(), String.valueOf(e.getValue())));
        return map;
    }
}
