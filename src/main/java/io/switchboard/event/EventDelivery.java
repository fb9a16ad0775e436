package io.switchboard.event;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.crypto.SecretDecryptionException;
import io.switchboard.event.DeliveryRepository.Claimed;
import io.switchboard.event.DeliveryRepository.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Delivers events to their subscriptions, on every replica: claims due deliveries ({@link DeliveryRepository#claim}),
 * checks each receiver's address again, signs and posts the event, and stores the outcome. Each subscription has a
 * connection pool of its own, as large as its share of attempts in flight, so a slow or failing receiver holds only
 * its own connections and claims; the Twilio webhooks and the outbound dispatch share nothing with it but the
 * database pool, which each attempt uses twice. Non-blocking throughout (the reactive client, the Vert.x HTTP
 * client), except host name lookups, which run on the {@code event-dns} pool ({@link Receivers}).
 */
@ApplicationScoped
public class EventDelivery {

    private static final Logger LOG = Logger.getLogger(EventDelivery.class);
    private static final int MAX_ERROR = 200;
    private static final Duration CLIENT_IDLE = Duration.ofMinutes(5);
    private static final int PRUNE_BATCH = 5_000;
    /** How often each replica reads the backlog for its gauges: two numbers from one indexed query. */
    private static final Duration BACKLOG_INTERVAL = Duration.ofSeconds(15);
    /** Buckets of the delivery lag histogram: from a healthy second to the give-up window's day. */
    private static final Duration[] LAG_BUCKETS = { Duration.ofMillis(100), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(5), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(6),
        Duration.ofHours(24) };

    /** A subscription's own client, for one origin; replaced when the subscription's URL moves elsewhere. */
    private record Client(String origin, HttpClient http, AtomicReference<Instant> lastUsed) {
    }

    private final DeliveryRepository repository;
    private final Receivers receivers;
    private final SigningSecrets secrets;
    private final EventsConfig config;
    private final Vertx vertx;
    private final Map<UUID, Client> clients = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean claiming = new AtomicBoolean();
    /** A claim was asked for while one ran: run another as soon as it ends. */
    private final AtomicBoolean again = new AtomicBoolean();
    private final List<Long> timers = new ArrayList<>();
    private final Map<String, Counter> attempts;
    private final Timer lag;
    private final Counter givenUp;
    private final AtomicReference<DeliveryRepository.Backlog> backlog = new AtomicReference<>(
            new DeliveryRepository.Backlog(0, 0));
    private volatile boolean stopping;

    EventDelivery(DeliveryRepository repository, Receivers receivers, SigningSecrets secrets, EventsConfig config,
            Vertx vertx, MeterRegistry metrics) {
        this.repository = repository;
        this.receivers = receivers;
        this.secrets = secrets;
        this.config = config;
        this.vertx = vertx;
        // Every series registered at start, so a dashboard sees zeros rather than nothing.
        this.attempts = Map.of(Outcome.DELIVERED, attemptCounter(metrics, Outcome.DELIVERED), Outcome.FAILED,
                attemptCounter(metrics, Outcome.FAILED), Outcome.ERROR, attemptCounter(metrics, Outcome.ERROR));
        Gauge.builder("switchboard.events.attempts.in_flight", inFlight, AtomicInteger::get)
                .description("Event delivery attempts in flight on this replica").register(metrics);
        this.lag = Timer.builder("switchboard.events.delivery.lag").serviceLevelObjectives(LAG_BUCKETS)
                .description("From an event's change to its delivery (the 2xx of its receiver), per delivery")
                .register(metrics);
        this.givenUp = Counter.builder("switchboard.events.deliveries.given_up")
                .description("Deliveries given up after the give-up window (their subscription paused)")
                .register(metrics);
        // Read from the database, so every replica shows the same backlog: what no replica delivers shows here.
        Gauge.builder("switchboard.events.backlog", backlog, b -> b.get().pending())
                .description("Deliveries pending for subscriptions that are not paused").register(metrics);
        Gauge.builder("switchboard.events.backlog.oldest", backlog, b -> b.get().oldestSeconds())
                .baseUnit("seconds")
                .description("Age of the oldest event pending delivery to a subscription that is not paused")
                .register(metrics);
    }

    private static Counter attemptCounter(MeterRegistry metrics, String outcome) {
        return Counter.builder("switchboard.events.attempts")
                .description("Event delivery attempts by outcome: delivered (2xx), failed (another answer), error "
                        + "(no answer, refused address)")
                .tag("outcome", outcome).register(metrics);
    }

    void start(@Observes StartupEvent event) {
        check(config);
        if (config.deliveryEnabled()) {
            timers.add(vertx.setPeriodic(config.pollInterval().toMillis(), id -> claim()));
            timers.add(vertx.setPeriodic(config.pruneInterval().toMillis(), id -> prune()));
            timers.add(vertx.setPeriodic(BACKLOG_INTERVAL.toMillis(), id -> readBacklog()));
        }
    }

    /** @throws IllegalArgumentException naming the key of a configuration deliveries cannot work with */
    static void check(EventsConfig config) {
        if (config.maxInFlightPerSubscription() < 1 || config.maxInFlight() < 1 || config.claimLimit() < 1) {
            throw new IllegalArgumentException("switchboard.events.max-in-flight, .max-in-flight-per-subscription and "
                    + ".claim-limit must be at least 1");
        }
        if (config.lease().compareTo(config.attemptTimeout().plus(config.dnsTimeout())) <= 0) {
            throw new IllegalArgumentException(
                    "switchboard.events.lease must be longer than switchboard.events.attempt-timeout and dns-timeout");
        }
        if (config.firstRetry().isNegative() || config.maxRetry().compareTo(config.firstRetry()) < 0) {
            throw new IllegalArgumentException(
                    "switchboard.events.max-retry must be at least switchboard.events.first-retry");
        }
    }

    void stop(@Observes ShutdownEvent event) {
        // What is in flight stays leased and is attempted again once the lease runs out: at least once.
        stopping = true;
        timers.forEach(vertx::cancelTimer);
        clients.values().forEach(client -> client.http().close());
    }

    /** Claims what this replica has room for; called by the timer and whenever an attempt ends. */
    void claim() {
        if (stopping) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        int room = Math.min(config.claimLimit(), config.maxInFlight() - inFlight.get());
        if (room <= 0) {
            claiming.set(false);
            return;
        }
        again.set(false);
        repository.claim(config.maxInFlightPerSubscription(), room, config.lease()).subscribe().with(claimed -> {
            claiming.set(false);
            claimed.forEach(this::attempt);
            if (claimed.size() == room || again.getAndSet(false)) {
                vertx.runOnContext(v -> claim());
            }
        }, failure -> {
            claiming.set(false);
            LOG.warnf("events: claiming deliveries failed: %s", failure.toString());
        });
    }

    private void attempt(Claimed c) {
        inFlight.incrementAndGet();
        long started = System.nanoTime();
        send(c).onFailure().recoverWithItem(e -> new Outcome(Outcome.ERROR, null, 0, describe(e)))
                .map(o -> new Outcome(o.status(), o.responseCode(),
                        (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000), o.error()))
                .invoke(outcome -> attempts.get(outcome.status()).increment())
                .chain(outcome -> store(c, outcome))
                .subscribe().with(done -> ended(), failure -> {
                    // The outcome was not stored: the lease runs out and the event is attempted again.
                    LOG.warnf("events: the outcome of delivery %s was not stored: %s", c.deliveryId(),
                            failure.toString());
                    ended();
                });
    }

    private void ended() {
        inFlight.decrementAndGet();
        claim();
    }

    private Uni<Void> store(Claimed c, Outcome outcome) {
        if (outcome.delivered()) {
            return repository.delivered(c, outcome).invoke(() -> lag.record(
                    Duration.between(c.event().timestamp(), Instant.now()).abs()));
        }
        Instant now = Instant.now();
        Instant giveUpAt = c.firstAttemptAt().plus(config.giveUpAfter());
        if (!now.isBefore(giveUpAt)) {
            return repository.giveUp(c, outcome).invoke(paused -> {
                givenUp.increment();
                if (paused) {
                    LOG.warnf("events: subscription %s paused: event %s still failing %s after its first attempt",
                            c.subscriptionId(), c.event().id(), config.giveUpAfter());
                }
            }).replaceWithVoid();
        }
        Instant next = now.plus(backoff(c.attempt()));
        // The last attempt falls at the end of the window rather than past it.
        return repository.retry(c, outcome, next.isAfter(giveUpAt) ? giveUpAt : next);
    }

    /** First retry doubled per attempt, up to the longest wait, with up to half of it again added at random. */
    Duration backoff(int attempt) {
        long first = Math.max(1, config.firstRetry().toMillis());
        long base = attempt >= 40 ? Long.MAX_VALUE : first << Math.max(0, attempt - 1);
        long capped = Math.min(base, config.maxRetry().toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    private Uni<Outcome> send(Claimed c) {
        return receivers.resolve(c.url()).chain(resolved -> {
            List<String> signing = new ArrayList<>();
            signing.add(secrets.open(c.subscriptionId(), c.secretEnc()));
            if (c.previousSecretEnc() != null) {
                try {
                    signing.add(secrets.open(c.subscriptionId(), c.previousSecretEnc()));
                } catch (SecretDecryptionException e) {
                    // Sealed under a key this replica no longer reads: the current secret alone signs.
                }
            }
            String body = body(c.event());
            String id = c.event().id().toString();
            long timestamp = Instant.now().getEpochSecond();
            URI uri = resolved.uri();
            boolean https = "https".equalsIgnoreCase(uri.getScheme());
            int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
            String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                    + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            // Connect to the address that was checked, never to what a second lookup might answer.
            var options = new RequestOptions().setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(port, resolved.address().getHostAddress()))
                    .setHost(uri.getHost()).setPort(port).setSsl(https).setURI(path).setFollowRedirects(false)
                    .putHeader("content-type", "application/json")
                    .putHeader("user-agent", "Switchboard-Webhooks/1")
                    .putHeader("webhook-id", id)
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", WebhookSignatures.header(signing, id, timestamp, body));
            var request = new AtomicReference<HttpClientRequest>();
            HttpClient http = client(c.subscriptionId(), uri, https, port);
            var answer = http.request(options).compose(req -> {
                request.set(req);
                return req.send(Buffer.buffer(body));
            }).compose(response -> {
                // The answer's body is read and dropped: nothing of it is kept, however long it is.
                response.handler(chunk -> {});
                return response.end().map(v -> response.statusCode());
            });
            return Uni.createFrom().completionStage(answer.toCompletionStage())
                    .ifNoItem().after(config.attemptTimeout()).failWith(TimeoutException::new)
                    .onFailure(TimeoutException.class).invoke(() -> {
                        var req = request.get();
                        if (req != null) {
                            req.reset();
                        }
                    })
                    .map(code -> code >= 200 && code < 300 ? new Outcome(Outcome.DELIVERED, code, 0, null)
                            : new Outcome(Outcome.FAILED, code, 0,
                                    code >= 300 && code < 400 ? "redirect not followed" : null));
        });
    }

    private HttpClient client(UUID subscriptionId, URI uri, boolean https, int port) {
        String origin = (https ? "https://" : "http://") + uri.getHost() + ":" + port;
        Client client = clients.compute(subscriptionId, (id, existing) -> {
            if (existing != null && existing.origin().equals(origin)) {
                return existing;
            }
            if (existing != null) {
                existing.http().close();
            }
            var options = new HttpClientOptions().setMaxPoolSize(config.maxInFlightPerSubscription())
                    .setConnectTimeout((int) config.connectTimeout().toMillis()).setKeepAlive(true)
                    .setIdleTimeout(60).setMaxRedirects(0).setVerifyHost(true).setForceSni(true)
                    .setMaxWaitQueueSize(config.maxInFlightPerSubscription() * 4);
            return new Client(origin, vertx.createHttpClient(options), new AtomicReference<>(Instant.now()));
        });
        client.lastUsed().set(Instant.now());
        return client.http();
    }

    /** The body every attempt of the event carries, byte for byte: its view, fields in a fixed order. */
    static String body(EventView event) {
        return new JsonObject().put("id", event.id().toString()).put("type", event.type())
                .put("timestamp", event.timestamp().toString())
                .put("organizationId", event.organizationId().toString())
                .put("resourceType", event.resourceType())
                .put("resourceId", event.resourceId() == null ? null : event.resourceId().toString())
                .put("sequence", event.sequence())
                .put("data", new JsonObject(event.data()))
                .encode();
    }

    private static String describe(Throwable e) {
        String text;
        if (e instanceof Receivers.Refused) {
            text = "refused: " + e.getMessage();
        } else if (e instanceof TimeoutException) {
            text = "no answer within the attempt timeout";
        } else if (e instanceof SecretDecryptionException) {
            text = "the signing secret cannot be decrypted by this replica";
        } else {
            text = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) : text;
    }

    private void prune() {
        Instant idleSince = Instant.now().minus(CLIENT_IDLE);
        clients.entrySet().removeIf(entry -> {
            if (entry.getValue().lastUsed().get().isBefore(idleSince)) {
                entry.getValue().http().close();
                return true;
            }
            return false;
        });
        repository.prune(config.retention(), PRUNE_BATCH).subscribe().with(n -> {
            if (n > 0) {
                LOG.infof("events: pruned %d delivered events older than %s", n, config.retention());
            }
        }, failure -> LOG.warnf("events: pruning failed: %s", failure.toString()));
    }

    /** Reads the backlog for the gauges; a failure keeps the last reading and says so. */
    Uni<DeliveryRepository.Backlog> readBacklog() {
        return repository.backlog().invoke(backlog::set).onFailure().invoke(failure -> LOG
                .warnf("events: reading the delivery backlog failed: %s", failure.toString()))
                .onFailure().recoverWithItem(() -> backlog.get());
    }

    /** This replica's attempts in flight (for tests). */
    int inFlight() {
        return inFlight.get();
    }

    /** Runs one pruning pass now; how many events it deleted (for tests). */
    Uni<Integer> pruneNow() {
        return repository.prune(config.retention(), PRUNE_BATCH);
    }
}
