package io.switchboard.call;

import io.switchboard.twilio.Twiml;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The TwiML of a transfer: the caller's leg dialing the target (cold) or joining the transfer's conference (warm), and
 * what it runs once that dial or conference has ended.
 */
@ApplicationScoped
public class TransferTwiml {

    static final String FAILED_MESSAGE = "We could not connect your call. Goodbye.";
    private static final String TARGET_EVENTS = "answered completed";
    /**
     * What the caller hears while it waits for the target, in the conference and on hold: Twilio's own hold music,
     * the default {@code waitUrl} of {@code <Conference>} (https://www.twilio.com/docs/voice/twiml/conference#waiturl).
     */
    static final String HOLD_MUSIC = "https://twimlets.com/holdmusic?Bucket=com.twilio.music.classical";
    /**
     * The conference events a warm transfer follows: who joins and leaves, its end, and the end of the announcement
     * to the target (https://www.twilio.com/docs/voice/twiml/conference#statuscallbackevent).
     */
    static final String CONFERENCE_EVENTS = "join leave end announcement";

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

    /**
     * A warm transfer: the caller's leg joins the transfer's conference, where it hears hold music until the target
     * joins, since it does not start the conference itself; its leaving (a hang-up) ends the conference, so the target
     * is never left in it alone. The {@code <Dial action>} is asked for once the conference has ended with the caller
     * still on the line (https://www.twilio.com/docs/voice/twiml/dial#action): what it runs next depends on whether
     * the parties were joined.
     */
    String warm(String callId) {
        var conference = Twiml.element("Conference", conferenceName(callId))
                .attribute("beep", "false")
                .attribute("startConferenceOnEnter", "false")
                .attribute("endConferenceOnExit", "true")
                .attribute("waitUrl", HOLD_MUSIC)
                .attribute("waitMethod", "GET")
                .attribute("statusCallback", urls.url(WebhookEndpoint.VOICE_TRANSFER_CONFERENCE, callId))
                .attribute("statusCallbackEvent", CONFERENCE_EVENTS)
                .attribute("statusCallbackMethod", "POST");
        var dial = Twiml.dial()
                .attribute("action", urls.url(WebhookEndpoint.VOICE_TRANSFER, callId))
                .attribute("method", "POST")
                .child(conference);
        return Twiml.response().child(dial).toXml();
    }

    /** Where a warm transfer's target leg reports its call events. */
    String targetCallback(String callId) {
        return urls.url(WebhookEndpoint.VOICE_TRANSFER_TARGET, callId);
    }

    /** Where a warm transfer's conference reports its events. */
    String conferenceCallback(String callId) {
        return urls.url(WebhookEndpoint.VOICE_TRANSFER_CONFERENCE, callId);
    }

    /** Where the target's announcement is asked for, said to the target alone. */
    String announcementUrl(String callId) {
        return urls.url(WebhookEndpoint.VOICE_TRANSFER_ANNOUNCEMENT, callId);
    }

    /** The friendly name of a call's transfer conference: one per call, so a repeated request finds the same one. */
    static String conferenceName(String callId) {
        return "switchboard-transfer-" + callId;
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
