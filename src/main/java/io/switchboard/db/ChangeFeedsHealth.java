package io.switchboard.db;

import io.smallrye.health.api.HealthGroup;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

/**
 * Whether every change feed of the service listens, its heartbeat on time; in the {@code database} group, as the
 * copies they keep stay in service from memory while they reconnect.
 */
@HealthGroup(DatabaseHealth.GROUP)
@ApplicationScoped
public class ChangeFeedsHealth implements HealthCheck {

    private final ChangeFeeds feeds;

    public ChangeFeedsHealth(ChangeFeeds feeds) {
        this.feeds = feeds;
    }

    @Override
    public HealthCheckResponse call() {
        var opened = feeds.opened();
        long listening = opened.stream().filter(ChangeFeed::isListening).count();
        long missed = opened.stream().mapToLong(ChangeFeed::heartbeatsMissed).sum();
        return HealthCheckResponse.named("change-feeds")
                .status(listening == opened.size())
                .withData("feeds", opened.size())
                .withData("listening", listening)
                .withData("heartbeatsMissed", missed)
                .build();
    }
}
