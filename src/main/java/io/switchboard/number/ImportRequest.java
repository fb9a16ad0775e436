package io.switchboard.number;

import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/phone-numbers}. */
public record ImportRequest(@Schema(required = true, description = "A number of the provider's Twilio account",
        example = "+14155551234") String number, @Schema(required = true) UUID providerId,
        @Schema(example = "Support line") String label, @Schema(description = "The agent to route to") UUID agentId) {

    static final int MAX_LABEL = 100;

    public void validate() {
        new Validation()
                .require(PhoneNumbers.isE164(number), "number", "must be an E.164 number such as +14155551234")
                .require(providerId != null, "providerId", "is required")
                .require(label == null || label.length() <= MAX_LABEL, "label", "at most 100 characters")
                .throwIfInvalid();
    }
}
