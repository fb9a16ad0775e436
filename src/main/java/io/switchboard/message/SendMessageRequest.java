package io.switchboard.message;

import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/messages}. */
public record SendMessageRequest(@Schema(required = true, example = "+14155551234") String to,
        @Schema(required = true, example = "Your appointment is confirmed for 3 pm.") String body,
        @Schema(description = "One of the organization's SMS-capable numbers", example = "+14155550100") String from) {

    /** Twilio's limit on a message body, in characters. */
    public static final int MAX_BODY = 1600;
    private static final String E164 = "must be an E.164 number such as +14155551234";

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    public void validate() {
        new Validation()
                .require(PhoneNumbers.isE164(to), "to", E164)
                .require(body != null && !body.isEmpty() && body.length() <= MAX_BODY, "body",
                        "must be 1 to " + MAX_BODY + " characters")
                .require(from == null || PhoneNumbers.isE164(from), "from", E164)
                .throwIfInvalid();
    }
}
