package io.switchboard.message;

import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;

/** The body of {@code POST /v1/do-not-contact}. */
public record DoNotContactRequest(String number, String reason) {

    static final int MAX_REASON = 200;

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    void validate() {
        new Validation()
                .require(PhoneNumbers.isE164(number), "number", "must be an E.164 number such as +14155551234")
                .require(reason == null || (!reason.isBlank() && reason.length() <= MAX_REASON), "reason",
                        "must be 1 to " + MAX_REASON + " characters")
                .throwIfInvalid();
    }
}
