package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.common.Validation;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The body of {@code POST /v1/actions}: the action's name and its arguments (an object; absent: none). */
public record ActionRequest(
        @Schema(required = true, enumeration = {
            "makeCall", "sendSMS", "hangupCall", "transferCall",
            "getCallStatus" }) String action,
        @Schema(implementation = Map.class, description = "The action's arguments, such as the callSid Twilio gave the"
                + " call", example = "{\"callSid\": \"CA0123456789abcdef0123456789abcdef\"}") JsonNode arguments) {

    /** @throws io.switchboard.common.ApiException a 400 naming the field when the request itself is malformed */
    void validate() {
        new Validation()
                .require(action != null && !action.isBlank(), "action", "is required")
                .require(arguments == null || arguments.isNull() || arguments.isObject(), "arguments",
                        "must be an object")
                .throwIfInvalid();
    }

    Arguments args() {
        return new Arguments(arguments == null || arguments.isNull()
                ? JsonNodeFactory.instance.objectNode() : arguments);
    }
}
