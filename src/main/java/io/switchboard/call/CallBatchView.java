package io.switchboard.call;

import java.util.List;
import java.util.UUID;

/** The answer to {@code POST /v1/calls}: the stored batch, each call still queued. */
public record CallBatchView(UUID batchId, List<QueuedCall> calls) {

    public record QueuedCall(UUID id, String to, String status) {
    }
}
