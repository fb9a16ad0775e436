package io.switchboard.provider;

/**
 * The pace a provider's Twilio account allows, as SQL over a row that names its provider: the one home of the
 * {@code provider} columns the dispatch claim reads. Each is null when the provider keeps the configured default.
 */
public final class ProviderPace {

    private ProviderPace() {
    }

    /** Calls per second of the provider whose id is {@code providerId} (an SQL expression). */
    public static String callsPerSecond(String providerId) {
        return "(select p.calls_per_second from provider p where p.id = " + providerId + ")";
    }

    /** Message segments per second and sender number of the provider whose id is {@code providerId}. */
    public static String segmentsPerSecond(String providerId) {
        return "(select p.segments_per_second from provider p where p.id = " + providerId + ")";
    }
}
