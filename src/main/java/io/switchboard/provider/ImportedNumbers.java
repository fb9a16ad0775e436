package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import java.util.List;
import java.util.UUID;

/**
 * What a provider needs to know of the numbers imported under it, in the caller's organization and the current
 * session. The {@code number} package answers it, so that {@code provider} never depends on {@code number}.
 */
public interface ImportedNumbers {

    Uni<Long> countByProvider(UUID providerId);

    /** E.164, oldest import first. */
    Uni<List<String>> numbersByProvider(UUID providerId);
}
