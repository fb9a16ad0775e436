package io.switchboard.message;

import java.time.Instant;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A number the organization never calls or texts. {@code source}: {@code stop} (it replied STOP, or Twilio refused a
 * message to it with 21610; a START reply lifts it) or {@code api} (only the API removes it).
 */
public record DoNotContactView(String number, @Schema(enumeration = {
    "stop", "api" }) String source, String reason,
        Instant createdAt) {
}
