package io.switchboard.call;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.LogText;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Serializes control requests on one call (transfer, hang-up, recording) across replicas: each runs under the call
 * row's control lease ({@link CallControlRepository}), taken by one conditional update. A request that finds the lease
 * held tries again for at most {@link #WAIT}, then fails with 409 {@code call_busy}; a lease whose replica stopped
 * lapses after {@link #LEASE}, longer than any one piece of work takes (a Twilio request is bounded at 30 s).
 * <p>
 * A lease rather than a {@code select … for update}: the work waits for Twilio, and no transaction is held open across
 * a Twilio request here (see {@code NoTransactionAcrossTwilioTest}).
 */
@ApplicationScoped
public class CallControl {

    private static final Logger LOG = Logger.getLogger(CallControl.class);
    static final Duration LEASE = Duration.ofSeconds(60);
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    private final CallControlRepository leases;

    public CallControl(CallControlRepository leases) {
        this.leases = leases;
    }

    /**
     * Runs {@code work} while this request alone controls the call; null (and the work not run) when the organization
     * has no such call.
     */
    public <T> Uni<T> serialized(UUID organizationId, UUID callId, Supplier<Uni<T>> work) {
        return serialized(organizationId, callId, WAIT, work);
    }

    /**
     * {@link #serialized(UUID, UUID, Supplier)} waiting at most {@code wait} for the lease: for a webhook that Twilio
     * gives up on (and tries again) after its read timeout.
     */
    public <T> Uni<T> serialized(UUID organizationId, UUID callId, Duration wait, Supplier<Uni<T>> work) {
        UUID lease = UUID.randomUUID();
        long deadline = System.nanoTime() + wait.toNanos();
        return take(organizationId, callId, lease, deadline).chain(taken -> {
            if (!taken) {
                return Uni.createFrom().nullItem();
            }
            return Uni.createFrom().<T>deferred(() -> work.get())
                    .onTermination().call(() -> leases.release(callId, lease).onFailure().recoverWithItem(failure -> {
                        // The lease lapses on its own; the next request waits for it at most LEASE.
                        LOG.warnf("call %s: control lease not released: %s", callId,
                                LogText.safe(failure.getMessage()));
                        return null;
                    }));
        });
    }

    /** True once taken, false when there is no such call; fails with 409 when still held at the deadline. */
    private Uni<Boolean> take(UUID organizationId, UUID callId, UUID lease, long deadline) {
        return leases.take(organizationId, callId, lease, LEASE).chain(result -> switch (result) {
            case TAKEN -> Uni.createFrom().item(true);
            case ABSENT -> Uni.createFrom().item(false);
            case HELD -> System.nanoTime() > deadline
                    ? Uni.createFrom().failure(ApiException.conflict("call_busy",
                            "another control request on this call is still running; try again"))
                    : Uni.createFrom().voidItem().onItem().delayIt().by(POLL)
                            .chain(() -> take(organizationId, callId, lease, deadline));
        });
    }
}
