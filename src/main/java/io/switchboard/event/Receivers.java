package io.switchboard.event;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Resolves a receiver's host and says whether the service may call it (see {@link ReceiverAddresses}). The JDK's
 * resolver blocks, so names are resolved on the bounded {@code event-dns} pool, never on an event loop, each within
 * {@code switchboard.events.dns-timeout}.
 */
@ApplicationScoped
class Receivers {

    /** The address an attempt connects to: the one that was checked, so a second lookup cannot swap it. */
    record Resolved(URI uri, InetAddress address) {
    }

    /** A receiver the service does not call; the message names no address. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private final boolean allowInsecure;
    private final Duration dnsTimeout;
    private final ExecutorService dns;

    @Inject
    Receivers(EventsConfig config) {
        this(config.allowInsecureUrls(), config.dnsTimeout());
    }

    Receivers(boolean allowInsecure, Duration dnsTimeout) {
        this.allowInsecure = allowInsecure;
        this.dnsTimeout = dnsTimeout;
        var threads = new AtomicInteger();
        this.dns = new ThreadPoolExecutor(4, 4, 1, TimeUnit.MINUTES, new ArrayBlockingQueue<>(10_000), runnable -> {
            var thread = new Thread(runnable, "event-dns-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void stop(@Observes ShutdownEvent event) {
        close();
    }

    void close() {
        dns.shutdownNow();
    }

    boolean allowInsecure() {
        return allowInsecure;
    }

    /** The URL checked and resolved; fails with {@link Refused} when it is not one the service may call. */
    Uni<Resolved> resolve(String url) {
        var problem = ReceiverAddresses.checkUrl(url, allowInsecure);
        if (problem.isPresent()) {
            return Uni.createFrom().failure(new Refused("url " + problem.get()));
        }
        URI uri = URI.create(url);
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return Uni.createFrom().item(() -> lookUp(host)).runSubscriptionOn(dns)
                .ifNoItem().after(dnsTimeout).failWith(() -> new Refused("url host did not resolve in time"))
                .map(addresses -> new Resolved(uri, choose(addresses)));
    }

    private InetAddress choose(InetAddress[] addresses) {
        if (!allowInsecure) {
            // Every address must be public: a name that also resolves to an internal one could be steered there.
            if (!Arrays.stream(addresses).allMatch(ReceiverAddresses::isPublic)) {
                throw new Refused("url host resolves to a private, loopback, link-local or reserved address");
            }
        }
        return addresses[0];
    }

    private static InetAddress[] lookUp(String host) {
        try {
            return InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new Refused("url host does not resolve");
        }
    }
}
