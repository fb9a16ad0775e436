package io.switchboard.call;

import java.util.UUID;

/** {@code canceled}: the calls of the batch that had not been placed and now never will be. */
public record BatchCancelView(UUID batchId, long canceled) {
}
