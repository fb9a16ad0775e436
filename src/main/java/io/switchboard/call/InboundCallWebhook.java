package io.switchboard.call;

import io.switchboard.common.LogText;
import io.switchboard.routing.Route;
import io.switchboard.routing.RoutingTable;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.webhook.VerifiedWebhook;
import io.switchboard.webhook.WebhookHandler;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A call to an imported number: answered with TwiML from the in-memory {@link RoutingTable}, never from a database
 * round trip, so a caller is connected in microseconds and still while PostgreSQL is down. Recording the call is
 * handed to the write-behind {@link InboundCallRecorder}, which gives the answer: at once, or, while PostgreSQL is
 * behind on a burst, once it has caught up (a bounded wait, so that no answered call goes unrecorded).
 */
@ApplicationScoped
public class InboundCallWebhook implements WebhookHandler {

    private static final Logger LOG = Logger.getLogger(InboundCallWebhook.class);
    static final String TEXT_XML = "text/xml";

    private final RoutingTable routing;
    private final CallTwiml twiml;
    private final InboundCallRecorder recorder;

    public InboundCallWebhook(RoutingTable routing, CallTwiml twiml, InboundCallRecorder recorder) {
        this.routing = routing;
        this.twiml = twiml;
        this.recorder = recorder;
    }

    @Override
    public WebhookEndpoint endpoint() {
        return WebhookEndpoint.VOICE_INBOUND;
    }

    @Override
    public void handle(VerifiedWebhook webhook, RoutingContext ctx) {
        // Without To it cannot be a call to a number imported here, and is answered as one.
        String to = webhook.param("To");
        Route route = to == null ? null : routing.find(to).orElse(null);
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
            answer = twiml.connect(route.agent(), webhook.param("CallSid"), webhook.param("From"), to);
        }
        Runnable give = () -> ctx.response().putHeader("Content-Type", TEXT_XML).end(answer);
        try {
            recorder.record(route, webhook, give);
        } catch (RuntimeException e) {
            LOG.errorf("recording inbound call %s failed to start: %s", LogText.safe(webhook.param("CallSid")),
                    LogText.safe(e.getMessage()));
            if (!ctx.response().ended()) {
                give.run();
            }
        }
    }
}
