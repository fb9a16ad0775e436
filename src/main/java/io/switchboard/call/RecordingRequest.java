package io.switchboard.call;

import io.switchboard.common.Validation;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code POST /v1/calls/{id}/recording}: {@code action} pause, resume or stop; {@code pauseBehavior}, only
 * with pause, {@code silence} (Twilio's default: the pause is silence in the recording) or {@code skip} (left out).
 */
public record RecordingRequest(@Schema(required = true, enumeration = {
    "pause", "resume", "stop" }) String action,
        @Schema(enumeration = { "silence", "skip" }, description = "pause only") String pauseBehavior) {

    /** Each action as the Status of Twilio's call Recordings update. */
    static final Map<String, String> STATUSES = Map.of("pause", "paused", "resume", "in-progress", "stop", "stopped");
    static final List<String> ACTIONS = List.of("pause", "resume", "stop");
    static final List<String> PAUSE_BEHAVIORS = List.of("silence", "skip");

    /** @throws io.switchboard.common.ApiException a 400 naming every invalid field */
    public void validate() {
        new Validation()
                .require(action != null && STATUSES.containsKey(action), "action",
                        "must be one of " + String.join(", ", ACTIONS))
                .require(pauseBehavior == null || PAUSE_BEHAVIORS.contains(pauseBehavior) && "pause".equals(action),
                        "pauseBehavior", "must be silence or skip, and only with action pause")
                .throwIfInvalid();
    }

    String twilioStatus() {
        return STATUSES.get(action);
    }
}
