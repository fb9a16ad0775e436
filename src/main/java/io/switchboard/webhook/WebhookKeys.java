package io.switchboard.webhook;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderSecrets;
import io.switchboard.routing.ChangeFeed;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The auth tokens each connected Twilio account signs its webhooks with, in memory, so signatures are checked without
 * a database round trip and still while the database is down. Kept current like the routing table: a full load when
 * the change feed (re)connects, and a reload of one provider on each {@code provider:<id>} notification.
 */
@ApplicationScoped
public class WebhookKeys {

    private static final Logger LOG = Logger.getLogger(WebhookKeys.class);
    private static final String SELECT = """
            select id, account_sid, auth_token_enc, previous_auth_token_enc, previous_auth_token_expires_at
              from provider""";

    /** One token of one provider; {@code expiresAt} is null for the current token. */
    record Key(UUID providerId, String token, Instant expiresAt) {
        boolean validAt(Instant now) {
            return expiresAt == null || now.isBefore(expiresAt);
        }
    }

    private final Pool pool;
    private final ProviderSecrets secrets;
    private final ChangeFeed feed;
    private volatile Map<String, List<Key>> byAccount = Map.of();
    private volatile boolean loaded;

    public WebhookKeys(Vertx vertx, Pool pool, ProviderSecrets secrets,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
            @ConfigProperty(name = "quarkus.datasource.username") Optional<String> username,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.pool = pool;
        this.secrets = secrets;
        this.feed = new ChangeFeed(vertx, ChangeFeed.connectOptions(url, username, password), "routing_changed",
                this::reloadAll,
                change -> change.table().equals("provider") ? () -> reload(change.id()) : null);
    }

    void onStart(@Observes StartupEvent event) {
        feed.start().subscribe().with(ok -> {
        }, e -> LOG.errorf("webhook keys stopped before they could listen for changes: %s", e.getMessage()));
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

    public boolean isLoaded() {
        return loaded;
    }

    private Uni<Void> reloadAll() {
        return pool.query(SELECT).execute().invoke(rows -> {
            var fresh = new HashMap<String, List<Key>>();
            for (Row row : rows) {
                fresh.computeIfAbsent(row.getString("account_sid"), k -> new ArrayList<>()).addAll(keys(row));
            }
            byAccount = freeze(fresh);
            loaded = true;
            feed.loadedInFull();
        }).replaceWithVoid();
    }

    /** Copy on write: changes are rare, reads are every webhook. */
    private Uni<Void> reload(UUID providerId) {
        return pool.preparedQuery(SELECT + " where id = $1").execute(Tuple.of(providerId)).invoke(rows -> {
            var next = new HashMap<String, List<Key>>();
            byAccount.forEach((account, keys) -> {
                var kept = keys.stream().filter(k -> !k.providerId().equals(providerId)).toList();
                if (!kept.isEmpty()) {
                    next.put(account, new ArrayList<>(kept));
                }
            });
            for (Row row : (RowSet<Row>) rows) {
                next.computeIfAbsent(row.getString("account_sid"), k -> new ArrayList<>()).addAll(keys(row));
            }
            byAccount = freeze(next);
        }).replaceWithVoid();
    }

    private List<Key> keys(Row row) {
        UUID id = row.getUUID("id");
        var keys = new ArrayList<Key>(2);
        try {
            String current = secrets.open(id, "authToken", row.getString("auth_token_enc"));
            if (current != null) {
                keys.add(new Key(id, current, null));
            }
            OffsetDateTime expires = row.getOffsetDateTime("previous_auth_token_expires_at");
            String previous = secrets.open(id, "previousAuthToken", row.getString("previous_auth_token_enc"));
            if (previous != null && expires != null) {
                keys.add(new Key(id, previous, expires.toInstant()));
            }
        } catch (RuntimeException e) {
            // A key that no longer decrypts (a dropped encryption key) must not hide every other account's keys.
            LOG.errorf("provider %s: its auth token cannot be decrypted (%s); its webhooks will be refused", id,
                    e.getMessage());
        }
        return keys;
    }

    private static Map<String, List<Key>> freeze(Map<String, List<Key>> keys) {
        var frozen = new HashMap<String, List<Key>>(keys.size() * 2);
        keys.forEach((account, list) -> frozen.put(account, List.copyOf(list)));
        return Map.copyOf(frozen);
    }
}
