package io.switchboard.action;

/** A failure of an action reported to the agent as {@code error: {code, message}}; the message is safe to show. */
public class ActionError extends RuntimeException {

    static final String INVALID_ARGUMENTS = "invalid_arguments";

    private final String code;

    public ActionError(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** An argument is missing or unusable; the message begins with its name. */
    public static ActionError invalidArgument(String name, String message) {
        return new ActionError(INVALID_ARGUMENTS, name + ": " + message);
    }

    public String code() {
        return code;
    }
}
