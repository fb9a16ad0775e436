package io.switchboard.call;

import io.switchboard.routing.Route;
import io.switchboard.twilio.TwilioCredentials;
import java.util.UUID;

/**
 * What a transfer needs to know of its call: its Twilio leg, the parties, where it stands, its provider's credentials
 * and whether it allows transfers, and its agent (null when gone), whose transfer number is the default target.
 */
record TransferContext(UUID id, UUID organizationId, String sid, String direction, String from, String to,
        String status,
        String transferStatus, String accountSid, UUID providerId, boolean transfersEnabled,
        TwilioCredentials credentials, Route.Agent agent) {

    /**
     * Whether the caller's leg is live. An inbound call's row reads {@code ringing} until it ends, since Twilio sends
     * a number's status callback only the {@code completed} event unless asked for more: the TwiML this service
     * answered it with is running, so it is live; an outbound call is once answered.
     */
    boolean isLive() {
        if (sid == null) {
            return false;
        }
        return "in-progress".equals(status) || ("inbound".equals(direction) && "ringing".equals(status));
    }

    boolean transferUnderWay() {
        return "dialing".equals(transferStatus) || "connected".equals(transferStatus);
    }

    /** The call's Switchboard number: the number called for an inbound call, the caller ID of an outbound one. */
    String switchboardNumber() {
        return "inbound".equals(direction) ? to : from;
    }

    /** The other party's number: the caller of an inbound call, the one called by an outbound one. */
    String otherParty() {
        return "inbound".equals(direction) ? from : to;
    }
}
