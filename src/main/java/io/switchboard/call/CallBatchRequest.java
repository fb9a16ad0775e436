package io.switchboard.call;

import io.switchboard.common.PhoneNumbers;
import io.switchboard.common.Validation;
import java.util.List;
import java.util.UUID;

/** The body of {@code POST /v1/calls}: one agent calls each target, from {@code from} or the agent's number. */
public record CallBatchRequest(String agentId, List<String> targetNumbers, String from) {

    static final int MAX_TARGETS = 10_000;
    /** A 400 naming ten thousand bad numbers helps no one: the first ones are enough to see the mistake. */
    private static final int MAX_REPORTED = 100;
    private static final String E164 = "must be an E.164 number such as +14155551234";

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    public UUID validate() {
        var v = new Validation();
        UUID agent = null;
        if (agentId == null || agentId.isBlank()) {
            v.error("agentId", "is required");
        } else {
            try {
                agent = UUID.fromString(agentId);
            } catch (IllegalArgumentException e) {
                v.error("agentId", "is not an agent id");
            }
        }
        if (targetNumbers == null || targetNumbers.isEmpty() || targetNumbers.size() > MAX_TARGETS) {
            v.error("targetNumbers", "must hold 1 to " + MAX_TARGETS + " numbers");
        } else {
            int reported = 0;
            for (int i = 0; i < targetNumbers.size() && reported < MAX_REPORTED; i++) {
                if (!PhoneNumbers.isE164(targetNumbers.get(i))) {
                    v.error("targetNumbers[" + i + "]", E164);
                    reported++;
                }
            }
        }
        v.require(from == null || PhoneNumbers.isE164(from), "from", E164);
        v.throwIfInvalid();
        return agent;
    }
}
