package io.switchboard.twilio;

/**
 * Every webhook path this service takes from Twilio, written here only: the routes mounted under {@code /twilio} and
 * the URLs registered with Twilio ({@link WebhookUrls}) are both built from these.
 */
public enum WebhookEndpoint {

    VOICE_INBOUND("/twilio/voice/inbound"),
    /** The callee of an outbound call answered; the path names the call. */
    VOICE_OUTBOUND("/twilio/voice/outbound/", WebhookEndpoint.CALL_ID),
    VOICE_STATUS("/twilio/voice/status"),
    VOICE_RECORDING("/twilio/voice/recording"),
    /** Asynchronous answering machine detection's result for an outbound call; the query names the call. */
    VOICE_AMD("/twilio/voice/amd"),
    /**
     * The action of the {@code <Connect>} or {@code <Dial>} that connects a call to its agent, requested when that
     * verb ends: the agent's fallback when it could not be reached. The path names the agent.
     */
    VOICE_AGENT_ACTION("/twilio/voice/agent-action/", WebhookEndpoint.AGENT_ID),
    /** The {@code <Dial action>} of a transfer: how dialing the target ended; the path names the call. */
    VOICE_TRANSFER("/twilio/voice/transfer/", WebhookEndpoint.CALL_ID),
    /** Status callbacks of a transfer's target leg (answered, completed); the path names the call. */
    VOICE_TRANSFER_TARGET("/twilio/voice/transfer-target/", WebhookEndpoint.CALL_ID),
    /** The TwiML a transfer's target hears once it answers, before it is connected; the path names the call. */
    VOICE_TRANSFER_ANNOUNCEMENT("/twilio/voice/transfer-announcement/", WebhookEndpoint.CALL_ID),
    /**
     * The {@code referUrl} of the {@code <Dial>} that connects a call to a SIP agent: requested when the agent sends a
     * SIP REFER, answered with the TwiML that transfers the caller. The path names the agent.
     */
    VOICE_REFER("/twilio/voice/refer/", WebhookEndpoint.AGENT_ID),
    /** Status callbacks of a warm transfer's conference (join, leave, end, announcement); the path names the call. */
    VOICE_TRANSFER_CONFERENCE("/twilio/voice/transfer-conference/", WebhookEndpoint.CALL_ID),
    MESSAGING_INBOUND("/twilio/messaging/inbound"),
    MESSAGING_STATUS("/twilio/messaging/status");

    /** What every path starts with. */
    public static final String PREFIX = "/twilio/";
    /**
     * The query parameter naming the outbound call in the status and answering machine detection callback URLs of a
     * call this service placed.
     */
    public static final String CALL_ID = "callId";
    /** The path parameter naming the agent of an agent action. */
    public static final String AGENT_ID = "agentId";
    /**
     * The query parameter of an agent action saying which step of the call it ends: absent for the agent itself,
     * {@link #STEP_FALLBACK} for the {@code <Dial>} to the agent's transfer number.
     */
    public static final String STEP = "step";
    public static final String STEP_FALLBACK = "fallback";
    /** The query parameter naming the message in the status callback URL of a message this service sent. */
    public static final String MESSAGE_ID = "messageId";

    private final String path;
    private final String pathParameter;

    WebhookEndpoint(String path) {
        this(path, null);
    }

    WebhookEndpoint(String path, String pathParameter) {
        this.path = path;
        this.pathParameter = pathParameter;
    }

    /** The route as Vert.x matches it, with {@code :name} for the path parameter. */
    public String route() {
        return pathParameter == null ? path : path + ":" + pathParameter;
    }

    /** The name of the path parameter, or null when the path has none. */
    public String pathParameter() {
        return pathParameter;
    }

    /** The path of an endpoint without a path parameter. */
    public String path() {
        if (pathParameter != null) {
            throw new IllegalStateException(this + " needs its " + pathParameter);
        }
        return path;
    }

    /** The path with its path parameter filled in. */
    public String path(String parameter) {
        if (pathParameter == null) {
            throw new IllegalStateException(this + " has no path parameter");
        }
        return path + parameter;
    }

    /** The endpoint of a {@code /twilio} path as a request names it; null for a path that is none of them. */
    public static WebhookEndpoint ofPath(String path) {
        for (WebhookEndpoint endpoint : values()) {
            if (endpoint.pathParameter == null) {
                if (endpoint.path.equals(path)) {
                    return endpoint;
                }
            } else if (path.length() > endpoint.path.length() && path.startsWith(endpoint.path)
                    && path.indexOf('/', endpoint.path.length()) < 0) {
                return endpoint;
            }
        }
        return null;
    }
}
