package io.switchboard.webhook;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.db.ChangeFeed;
import io.switchboard.db.ChangeFeeds;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.provider.ProviderCredentials.SigningKeys;
import io.switchboard.provider.ProviderCredentials.SigningLoad;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * The auth tokens each connected provider's webhooks are signed with, in memory and by provider, so a signature is
 * checked against the one provider that owns the resource (never against another organization's copy of the same
 * Twilio account) without a database round trip, and still while the database is down. Kept current like the routing
 * table: a full load when the change feed (re)connects, and a reload of one provider on each {@code provider:<id>}
 * notification. A provider whose tokens a reload cannot decrypt (re-sealed under a key this replica does not read
 * yet) keeps the tokens it had.
 */
@ApplicationScoped
public class WebhookKeys {

    private static final Logger LOG = Logger.getLogger(WebhookKeys.class);

    /** One token of one provider; {@code expiresAt} is null for the current token. */
    record Key(String token, Instant expiresAt) {
        boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    /**
     * What one provider's webhooks may be signed with: its account, its current and previous tokens, and (outside
     * us1) the US1 token that signs what Twilio processes for it in US1, null when it has none.
     */
    record ProviderKeys(String accountSid, List<Key> keys, String us1Token) {

        /** The tokens valid now; with the US1 token for a webhook Twilio processes in US1 (messaging). */
        List<String> validAt(Instant now, boolean inUs1) {
            var tokens = new ArrayList<String>(keys.size() + 1);
            for (Key key : keys) {
                if (key.validAt(now)) {
                    tokens.add(key.token());
                }
            }
            if (inUs1 && us1Token != null) {
                tokens.add(us1Token);
            }
            return tokens;
        }
    }

    private final ProviderCredentials credentials;
    private final ChangeFeed feed;
    private volatile Map<UUID, ProviderKeys> byProvider = Map.of();
    private volatile boolean loaded;
    /** Providers whose tokens did not decrypt at the last load, each logged once until they open again. */
    private final Set<UUID> undecryptable = ConcurrentHashMap.newKeySet();

    public WebhookKeys(ProviderCredentials credentials, ChangeFeeds feeds, MeterRegistry metrics) {
        this.credentials = credentials;
        this.feed = feeds.open(ChangeFeeds.ROUTING_CHANGED, this::reloadAll,
                change -> change.table().equals("provider") ? () -> reload(change.id()) : null);
        Gauge.builder("switchboard.webhook_keys.age", feed, ChangeFeed::secondsSinceCurrent).baseUnit("seconds")
                .description("seconds since this replica's webhook keys were last known current (loaded in full or"
                        + " a change applied)")
                .register(metrics);
    }

    void onStart(@Observes StartupEvent event) {
        feed.start().subscribe().with(ok -> {},
                e -> LOG.errorf("webhook keys stopped before they could listen for changes: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        feed.stop();
    }

    /**
     * The tokens a webhook concerning this provider's resource may be signed with now: its current token, and its
     * previous one until its grace ends; for a webhook Twilio processes in US1 ({@code inUs1}: messaging, whose Region
     * is US1 for the numbers of every Region unless set otherwise) also the provider's US1 token. Empty for a provider
     * not connected here, or when the webhook names another account than the provider's.
     */
    public List<String> tokensFor(UUID providerId, String accountSid, boolean inUs1) {
        ProviderKeys provider = providerId == null ? null : byProvider.get(providerId);
        if (provider == null || !provider.accountSid().equals(accountSid)) {
            return List.of();
        }
        return provider.validAt(Instant.now(), inUs1);
    }

    /** {@link #tokensFor(UUID, String, boolean)} of a webhook processed in the provider's own Region. */
    public List<String> tokensFor(UUID providerId, String accountSid) {
        return tokensFor(providerId, accountSid, false);
    }

    /**
     * The tokens of every provider connected to this account, for a webhook that names no resource a provider owns in
     * memory (a recording's status, a number not imported here). Empty for an account not connected here.
     */
    public List<String> tokensForEveryProviderOf(String accountSid, boolean inUs1) {
        Instant now = Instant.now();
        var tokens = new ArrayList<String>(2);
        for (ProviderKeys provider : byProvider.values()) {
            if (provider.accountSid().equals(accountSid)) {
                tokens.addAll(provider.validAt(now, inUs1));
            }
        }
        return tokens;
    }

    /** The tokens valid now of each provider of the account, by provider: which of them signed a webhook. */
    public Map<UUID, List<String>> tokensByProviderOf(String accountSid, boolean inUs1) {
        Instant now = Instant.now();
        var tokens = new HashMap<UUID, List<String>>(4);
        byProvider.forEach((id, provider) -> {
            if (provider.accountSid().equals(accountSid)) {
                var valid = provider.validAt(now, inUs1);
                if (!valid.isEmpty()) {
                    tokens.put(id, valid);
                }
            }
        });
        return tokens;
    }

    /** Whether this replica can check the webhooks of this provider now. */
    public boolean knows(UUID providerId) {
        return byProvider.containsKey(providerId);
    }

    /** Twilio accounts whose webhooks this replica can check now. */
    public int accounts() {
        return (int) byProvider.values().stream().map(ProviderKeys::accountSid).distinct().count();
    }

    public boolean isLoaded() {
        return loaded;
    }

    private Uni<Void> reloadAll() {
        return credentials.loadSigningKeys().invoke(load -> {
            var fresh = new HashMap<UUID, ProviderKeys>(load.keys().size() * 2);
            for (SigningKeys keys : load.keys()) {
                if (!load.undecryptable().contains(keys.providerId())) {
                    fresh.put(keys.providerId(), keys(keys));
                }
            }
            keepUndecryptable(load, fresh);
            byProvider = Map.copyOf(fresh);
            loaded = true;
            feed.loadedInFull();
        }).replaceWithVoid();
    }

    /** Copy on write: changes are rare, reads are every webhook. */
    private Uni<Void> reload(UUID providerId) {
        return credentials.loadSigningKeys(providerId).invoke(load -> {
            var next = new HashMap<>(byProvider);
            next.remove(providerId);
            for (SigningKeys keys : load.keys()) {
                if (!load.undecryptable().contains(keys.providerId())) {
                    next.put(keys.providerId(), keys(keys));
                }
            }
            keepUndecryptable(load, next);
            byProvider = Map.copyOf(next);
        }).replaceWithVoid();
    }

    /**
     * A provider whose tokens did not all decrypt keeps the keys this replica had for it (its webhooks go on being
     * accepted while the keys roll out); one it never had keys for gets those that did decrypt. Logged once per
     * provider; each value that did not decrypt is counted in {@code switchboard_secrets_undecryptable_total}.
     */
    private void keepUndecryptable(SigningLoad load, Map<UUID, ProviderKeys> next) {
        var previous = byProvider;
        for (UUID providerId : load.undecryptable()) {
            ProviderKeys had = previous.get(providerId);
            if (had == null) {
                had = load.keys().stream().filter(k -> k.providerId().equals(providerId)).findFirst()
                        .map(WebhookKeys::keys).orElse(null);
            }
            if (had != null) {
                next.put(providerId, had);
            }
            if (undecryptable.add(providerId)) {
                LOG.warnf("provider %s: its auth token is sealed under a key this replica does not read; %s",
                        providerId, had == null ? "its webhooks are refused here until it does"
                                : "the token it had before stays in force here");
            }
        }
        // A provider whose tokens open again is logged again when they next fail.
        load.keys().stream().filter(k -> !load.undecryptable().contains(k.providerId()))
                .forEach(k -> undecryptable.remove(k.providerId()));
    }

    private static ProviderKeys keys(SigningKeys signing) {
        var keys = new ArrayList<Key>(2);
        if (signing.authToken() != null) {
            keys.add(new Key(signing.authToken(), null));
        }
        if (signing.previousAuthToken() != null) {
            keys.add(new Key(signing.previousAuthToken(), signing.previousExpiresAt()));
        }
        return new ProviderKeys(signing.accountSid(), List.copyOf(keys), signing.us1AuthToken());
    }
}
