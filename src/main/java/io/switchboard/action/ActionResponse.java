package io.switchboard.action;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to an action, in the shape tool-calling agents use: its {@code result}, or its {@code error}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionResponse(String action, Object result, Failure error) {

    /** Why the action was not done: a stable code and a message safe to show. */
    public record Failure(String code, String message) {
    }

    static ActionResponse done(String action, Object result) {
        return new ActionResponse(action, result, null);
    }

    static ActionResponse failed(String action, String code, String message) {
        return new ActionResponse(action, null, new Failure(code, message));
    }
}
