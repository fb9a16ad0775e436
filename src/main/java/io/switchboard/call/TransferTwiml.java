package io.switchboard.call;

import io.switchboard.twilio.Twiml;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;

/** The TwiML of a transfer: the caller's leg dialing the target, and what it runs once that dial has ended. */
@ApplicationScoped
public class TransferTwiml {

    static final String FAILED_MESSAGE = "We could not connect your call. Goodbye.";
    private static final String TARGET_EVENTS = "answered completed";

    private final WebhookUrls urls;
    private final String hangup;
    private final String failedHangup;

    public TransferTwiml(WebhookUrls urls) {
        this.urls = urls;
        this.hangup = Twiml.response().child(Twiml.hangup()).toXml();
        this.failedHangup = Twiml.response().child(Twiml.say(FAILED_MESSAGE)).child(Twiml.hangup()).toXml();
    }

    /**
     * A cold transfer: the caller's leg dials the target. The {@code <Dial action>} reports how it ended, the
     * target's status callbacks when it answered; both name the call in their path, and neither is the caller leg's
     * status callback, so the target's leg never moves the call's own status.
     */
    String cold(String callId, String target, String callerId, boolean announced) {
        var noun = TransferRequest.isSip(target) ? Twiml.sip(target) : Twiml.number(target);
        if (announced) {
            // Run on the target's leg once it answers, before the parties are connected
            // (https://www.twilio.com/docs/voice/twiml/number#url, https://www.twilio.com/docs/voice/twiml/sip#url).
            noun.attribute("url", urls.url(WebhookEndpoint.VOICE_TRANSFER_ANNOUNCEMENT, callId))
                    .attribute("method", "POST");
        }
        noun.attribute("statusCallback", urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, callId))
                .attribute("statusCallbackEvent", TARGET_EVENTS)
                .attribute("statusCallbackMethod", "POST");
        var dial = Twiml.dial()
                .attribute("action", urls.url(WebhookEndpoint.VOICE_TRANSFER, callId))
                .attribute("method", "POST")
                .attribute("callerId", callerId)
                .child(noun);
        return Twiml.response().child(dial).toXml();
    }

    /** What the target hears before it is connected. */
    String announcement(String text) {
        return Twiml.response().child(Twiml.say(text)).toXml();
    }

    /** The caller and the target talked and one hung up: the caller's leg ends too. */
    String done() {
        return hangup;
    }

    /** The target was not reached and the transfer asked to end the call then. */
    String failedHangup() {
        return failedHangup;
    }
}
