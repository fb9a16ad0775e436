package io.switchboard.call;

import io.switchboard.common.Validation;
import io.switchboard.message.SendMessageRequest;

/** The body of {@code POST /v1/calls/{id}/messages}: the text for the other party of the call. */
public record CallMessageRequest(String body) {

    /** @throws io.switchboard.common.ApiException a 400 naming the field */
    public void validate() {
        new Validation()
                .require(body != null && !body.isEmpty() && body.length() <= SendMessageRequest.MAX_BODY, "body",
                        "must be 1 to " + SendMessageRequest.MAX_BODY + " characters")
                .throwIfInvalid();
    }
}
