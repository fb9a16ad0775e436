package io.switchboard.call;

import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The answer to {@code POST /v1/calls}: the stored batch, each call still queued, and how many targets given again
 * were left out (each number is called once per batch).
 */
public record CallBatchView(UUID batchId, List<QueuedCall> calls, int duplicatesSkipped) {

    public record QueuedCall(UUID id, String to, @Schema(enumeration = {
        "queued" }) String status) {
    }
}
