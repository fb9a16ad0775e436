package io.switchboard.call;

import io.switchboard.twilio.TwilioCredentials;
import java.util.UUID;

/**
 * A call of the caller's organization as a control request needs it: its Twilio sid (null while an outbound call is
 * not placed yet), its stored status, and the REST credentials of the provider that handles it, for the region
 * Twilio handles it in (null when that provider is gone).
 */
record LiveCall(UUID id, String sid, String direction, String from, String to, String status,
        TwilioCredentials credentials) {

    boolean isInbound() {
        return "inbound".equals(direction);
    }

    /** The Switchboard number of the call: the one called (inbound) or the caller ID it was placed from. */
    String ourNumber() {
        return isInbound() ? to : from;
    }

    /** The person on the other end: the caller of an inbound call, the callee of an outbound one. */
    String otherParty() {
        return isInbound() ? from : to;
    }

    boolean hasEnded() {
        return CallStatuses.isTerminal(status);
    }
}
