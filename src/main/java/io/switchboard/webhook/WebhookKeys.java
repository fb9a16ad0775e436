package io.switchboard.webhook;

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
 * The auth tokens each connected Twilio account signs its webhooks with, in memory, so signatures are checked without
 * a database round trip and still while the database is down. Kept current like the routing table: a full load when
 * the change feed (re)connects, and a reload of one provider on each {@code provider:<id>} notification. A provider
 * whose tokens a reload cannot decrypt (re-sealed under a key this replica does not read yet) keeps the tokens it had.
 */
@ApplicationScoped
public class WebhookKeys {

    private static final Logger LOG = Logger.getLogger(WebhookKeys.class);

    /** One token of one provider; {@code expiresAt} is null for the current token. */
    record Key(UUID providerId, String token, Instant expiresAt) {
        boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    private final ProviderCredentials credentials;
    private final ChangeFeed feed;
    private volatile Map<String, List<Key>> byAccount = Map.of();
    private volatile boolean loaded;
    /** Providers whose tokens did not decrypt at the last load, each logged once until they open again. */
    private final Set<UUID> undecryptable = ConcurrentHashMap.newKeySet();

    public WebhookKeys(ProviderCredentials credentials, ChangeFeeds feeds) {
        this.credentials = credentials;
        this.feed = feeds.open(ChangeFeeds.ROUTING_CHANGED, this::reloadAll,
                change -> change.table().equals("provider") ? () -> reload(change.id()) : null);
    }

    void onStart(@Observes StartupEvent event) {
        feed.start().subscribe().with(ok -> {},
                e -> LOG.errorf("webhook keys stopped before they could listen for changes: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        feed.stop();
    }

    /** The tokens a webhook from this account may be signed with now; empty for an account not connected here. */
    public List<String> tokensFor(String accountSid) {
        List<Key> keys = accountSid == null ? null : byAccount.get(accountSid);
        if (keys == null) {
            return List.of();
        }
        Instant now = Instant.now();
        var tokens = new ArrayList<String>(keys.size());
        for (Key key : keys) {
            if (key.validAt(now)) {
                tokens.add(key.token());
            }
        }
        return tokens;
    }

    /** Twilio accounts whose webhooks this replica can check now. */
    public int accounts() {
        return byAccount.size();
    }

    public boolean isLoaded() {
        return loaded;
    }

    private Uni<Void> reloadAll() {
        return credentials.loadSigningKeys().invoke(load -> {
            var fresh = new HashMap<String, List<Key>>();
            for (SigningKeys keys : load.keys()) {
                if (!load.undecryptable().contains(keys.providerId())) {
                    fresh.computeIfAbsent(keys.accountSid(), k -> new ArrayList<>()).addAll(keys(keys));
                }
            }
            keepUndecryptable(load, fresh);
            byAccount = freeze(fresh);
            loaded = true;
            feed.loadedInFull();
        }).replaceWithVoid();
    }

    /** Copy on write: changes are rare, reads are every webhook. */
    private Uni<Void> reload(UUID providerId) {
        return credentials.loadSigningKeys(providerId).invoke(load -> {
            var next = new HashMap<String, List<Key>>();
            byAccount.forEach((account, keys) -> {
                var kept = keys.stream().filter(k -> !k.providerId().equals(providerId)).toList();
                if (!kept.isEmpty()) {
                    next.put(account, new ArrayList<>(kept));
                }
            });
            for (SigningKeys keys : load.keys()) {
                if (!load.undecryptable().contains(keys.providerId())) {
                    next.computeIfAbsent(keys.accountSid(), k -> new ArrayList<>()).addAll(keys(keys));
                }
            }
            keepUndecryptable(load, next);
            byAccount = freeze(next);
        }).replaceWithVoid();
    }

    /**
     * A provider whose tokens did not all decrypt keeps the keys this replica had for it (its webhooks go on being
     * accepted while the keys roll out); one it never had keys for gets those that did decrypt. Logged once per
     * provider; each value that did not decrypt is counted in {@code switchboard_secrets_undecryptable_total}.
     */
    private void keepUndecryptable(SigningLoad load, Map<String, List<Key>> next) {
        var previous = byAccount;
        for (UUID providerId : load.undecryptable()) {
            var had = new HashMap<String, List<Key>>();
            previous.forEach((account, keys) -> keys.stream().filter(k -> k.providerId().equals(providerId))
                    .forEach(k -> had.computeIfAbsent(account, a -> new ArrayList<>()).add(k)));
            if (had.isEmpty()) {
                load.keys().stream().filter(k -> k.providerId().equals(providerId))
                        .forEach(k -> had.computeIfAbsent(k.accountSid(), a -> new ArrayList<>()).addAll(keys(k)));
            }
            had.forEach((account, keys) -> next.computeIfAbsent(account, a -> new ArrayList<>()).addAll(keys));
            if (undecryptable.add(providerId)) {
                LOG.warnf("provider %s: its auth token is sealed under a key this replica does not read; %s",
                        providerId,
                        had.isEmpty() ? "its webhooks are refused here until it does"
                                : "the token it had before stays in force here");
            }
        }
        // A provider whose tokens open again is logged again when they next fail.
        load.keys().stream().filter(k -> !load.undecryptable().contains(k.providerId()))
                .forEach(k -> undecryptable.remove(k.providerId()));
    }

    private static List<Key> keys(SigningKeys signing) {
        var keys = new ArrayList<Key>(2);
        if (signing.authToken() != null) {
            keys.add(new Key(signing.providerId(), signing.authToken(), null));
        }
        if (signing.previousAuthToken() != null) {
            keys.add(new Key(signing.providerId(), signing.previousAuthToken(), signing.previousExpiresAt()));
        }
        return keys;
    }

    private static Map<String, List<Key>> freeze(Map<String, List<Key>> keys) {
        var frozen = new HashMap<String, List<Key>>(keys.size() * 2);
        keys.forEach((account, list) -> frozen.put(account, List.copyOf(list)));
        return Map.copyOf(frozen);
    }
}
