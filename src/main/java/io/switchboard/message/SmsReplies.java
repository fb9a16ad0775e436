package io.switchboard.message;

import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.routing.Route;
import io.switchboard.twilio.MessageRequest;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import io.switchboard.twilio.Twiml;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * How an inbound SMS is answered. {@code <Message>} TwiML works only in US1 (elsewhere Twilio fails it with 13803),
 * so outside US1 the reply goes over the REST API of the number's account and the TwiML stays empty. STOP and START
 * get no reply from us: Twilio sends its own confirmation on long codes.
 */
@ApplicationScoped
public class SmsReplies {

    private static final Logger LOG = Logger.getLogger(SmsReplies.class);
    static final String HELP_TEXT = "This number is answered by an automated assistant. Reply STOP to opt out.";

    private final TwilioClient twilio;
    private final ProviderCredentials credentials;
    /** Both possible answers, written once. */
    private final String empty;
    private final String help;

    public SmsReplies(TwilioClient twilio, ProviderCredentials credentials) {
        this.twilio = twilio;
        this.credentials = credentials;
        this.empty = Twiml.response().toXml();
        this.help = Twiml.response().child(Twiml.message(HELP_TEXT)).toXml();
    }

    /** The TwiML for this SMS, given where its number lives. */
    String twiml(Route route, OptOutWords word) {
        return word == OptOutWords.HELP && route != null && repliesWithTwiml(route) ? help : empty;
    }

    String empty() {
        return empty;
    }

    /** Whether a reply must go over REST, after the SMS is stored; only for a new SMS, never for a redelivery. */
    boolean needsRestReply(Route route, OptOutWords word) {
        return word == OptOutWords.HELP && route != null && !repliesWithTwiml(route);
    }

    /** Sends the HELP reply over REST, in the background: a failure is logged, the webhook was already answered. */
    void replyOverRest(Route route, String to, String inboundSid) {
        credentials(route.providerId())
                .chain(creds -> twilio.createMessage(creds, MessageRequest.from(to, route.number(), HELP_TEXT)))
                .subscribe().with(
                        sent -> LOG.infof("help reply %s sent for SMS %s", sent.sid(), inboundSid),
                        failure -> LOG.errorf("help reply for SMS %s not sent: %s", inboundSid,
                                failure.getMessage()));
    }

    private static boolean repliesWithTwiml(Route route) {
        return TwilioRegion.US1.id().equals(route.region());
    }

    private Uni<TwilioCredentials> credentials(UUID providerId) {
        return credentials.find(providerId).onItem().ifNull()
                .failWith(() -> new IllegalStateException("provider " + providerId + " is gone"));
    }
}
