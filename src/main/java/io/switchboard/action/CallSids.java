package io.switchboard.action;

/** Actions address calls by Twilio CallSid, which is what an agent receives in its stream parameters. */
final class CallSids {

    private CallSids() {
    }

    /** Another organization's call reads the same as none. */
    static ActionError notFound() {
        return new ActionError("not_found", "no call of this organization has this callSid");
    }
}
