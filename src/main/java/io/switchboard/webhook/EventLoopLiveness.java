package io.switchboard.webhook;

import io.netty.util.concurrent.EventExecutor;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Live while every Vert.x event loop runs a task within a second: a replica whose event loop is wedged answers some
 * webhooks never, and only a restart frees it. Nothing here depends on the database, so an outage never restarts a
 * replica.
 */
@Liveness
@ApplicationScoped
public class EventLoopLiveness implements AsyncHealthCheck {

    /** Well under the probe's own timeout (deployment/base/deployment.yaml), far over any healthy task. */
    static final Duration DEADLINE = Duration.ofSeconds(1);

    private final Vertx vertx;

    public EventLoopLiveness(Vertx vertx) {
        this.vertx = vertx;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        var answered = new AtomicInteger();
        var loops = new ArrayList<Uni<Void>>();
        for (EventExecutor loop : vertx.nettyEventLoopGroup()) {
            loops.add(Uni.createFrom().emitter(emitter -> loop.execute(() -> {
                answered.incrementAndGet();
                emitter.complete(null);
            })));
        }
        int total = loops.size();
        return Uni.join().all(loops).andCollectFailures()
                .ifNoItem().after(DEADLINE).recoverWithItem(List.of())
                .map(done -> {
                    int ran = answered.get();
                    return HealthCheckResponse.named("event-loops").status(ran == total)
                            .withData("eventLoops", total).withData("answered", ran).build();
                });
    }
}
