package io.switchboard.call;

import io.switchboard.webhook.FormParams;
import java.util.Set;

/**
 * How the verb that connected a call to its agent ended, read from the request Twilio makes to its {@code action}.
 * Only {@link #UNREACHED} sends the call to the agent's fallback: a call the caller left, or one the agent ended on
 * purpose, is over.
 * <ul>
 * <li>{@code <Dial>} (a SIP or number agent, and the fallback's own {@code <Dial>}): {@code DialCallStatus} is
 * {@code completed} or {@code answered} for a call that was connected, and {@code busy}, {@code no-answer},
 * {@code failed} or {@code canceled} for one that was not (https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus);
 * {@code canceled} is a dial cancelled through the REST API, on purpose, and is not a failure here.
 * <li>{@code <Connect><ConversationRelay>}: {@code SessionStatus} {@code failed} and an {@code ErrorCode} (64102, the
 * WebSocket could not be reached, https://www.twilio.com/docs/api/errors/64102) for a session that failed; a session
 * the application ended with an {@code end} message, with or without {@code HandoffData}, ended on purpose
 * (https://www.twilio.com/docs/voice/twiml/connect/conversationrelay).
 * <li>{@code <Connect><Stream>}: the stream's failure (31901 timeout, 31902 refused, 31920 handshake,
 * https://www.twilio.com/docs/api/errors/31920) as an {@code ErrorCode}, or as the {@code StreamError} that
 * Twilio's stream status callbacks carry (https://www.twilio.com/docs/voice/twiml/stream). Twilio's page on
 * {@code <Connect>} says only that the action gets "parameters specific to the nested noun"
 * (https://www.twilio.com/docs/voice/twiml/connect): any of these signals counts, and a stream that ends with none
 * of them ended as the agent closed it, as before the fallback existed.
 * <li>A {@code CallStatus} that is final (completed, busy, failed, no-answer, canceled) means the caller's leg is
 * over: Twilio requests the action of a verb the caller hung up on too, and ignores what it is answered.
 * </ul>
 */
enum AgentOutcome {
    /** The caller's leg is over: nothing is left to connect. */
    CALLER_GONE,
    /** The agent took the call, and it ended as the agent or the other party meant. */
    ENDED,
    /** The agent could not be reached: the call goes to its fallback. */
    UNREACHED;

    private static final Set<String> FINAL_CALL_STATUSES = Set.of("completed", "busy", "failed", "no-answer",
            "canceled");
    private static final Set<String> DIAL_NOT_CONNECTED = Set.of("busy", "no-answer", "failed");

    static AgentOutcome of(FormParams params) {
        if (FINAL_CALL_STATUSES.contains(params.get("CallStatus"))) {
            return CALLER_GONE;
        }
        String dialed = params.get("DialCallStatus");
        if (dialed != null) {
            return DIAL_NOT_CONNECTED.contains(dialed) ? UNREACHED : ENDED;
        }
        return hasError(params) ? UNREACHED : ENDED;
    }

    /**
     * Why the agent was not reached, as the call's {@code fallback} event says: the {@code <Dial>}'s status
     * ({@code busy}, {@code no-answer}, {@code failed}), else Twilio's error code, else {@code stream-error} or
     * {@code session-failed}.
     */
    static String reason(FormParams params) {
        String dialed = params.get("DialCallStatus");
        if (dialed != null) {
            return dialed;
        }
        String code = params.get("ErrorCode");
        if (code != null && !code.isBlank() && !"0".equals(code)) {
            return code;
        }
        String streamError = params.get("StreamError");
        return streamError != null && !streamError.isBlank() ? "stream-error" : "session-failed";
    }

    private static boolean hasError(FormParams params) {
        String code = params.get("ErrorCode");
        String streamError = params.get("StreamError");
        return (code != null && !code.isBlank() && !"0".equals(code))
                || (streamError != null && !streamError.isBlank())
                || "failed".equals(params.get("SessionStatus"));
    }
}
