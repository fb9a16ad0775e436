package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioCredentials;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The one reader of a provider's credentials for every other package: REST credentials by provider id or from a row
 * that joined {@code provider}, and the auth tokens its webhooks are signed with. Secrets are opened here and nowhere
 * else outside {@code provider}.
 */
@ApplicationScoped
public class ProviderCredentials {

    private static final Logger LOG = Logger.getLogger(ProviderCredentials.class);

    /**
     * The provider's columns for a query that joins {@code provider} aliased {@code pr}; {@link #fromJoinedRow} reads
     * them back.
     */
    public static final String JOINED_COLUMNS = SealedProvider.COLUMNS;

    /**
     * The tokens a provider's webhooks may be signed with; the previous one only until {@code previousExpiresAt}.
     * {@code us1AuthToken}: the US1 auth token of a provider outside us1, when it has one, which signs the webhooks
     * Twilio processes in US1 for its numbers (messaging); null otherwise.
     */
    public record SigningKeys(UUID providerId, String accountSid, String authToken, String previousAuthToken,
            Instant previousExpiresAt, String us1AuthToken) {

        @Override
        public String toString() {
            return "SigningKeys[providerId=" + providerId + ", accountSid=" + accountSid + "]";
        }
    }

    /**
     * Signing keys as loaded, and the providers some of whose tokens did not open here (sealed under a key this
     * replica does not read yet): a caller that had their tokens before may keep those.
     */
    public record SigningLoad(List<SigningKeys> keys, Set<UUID> undecryptable) {
    }

    private final ProviderSecretRepository repository;
    private final ProviderSecrets secrets;

    ProviderCredentials(ProviderSecretRepository repository, ProviderSecrets secrets) {
        this.repository = repository;
        this.secrets = secrets;
    }

    /** The REST credentials of a provider; null when it is gone. Fails when its secrets no longer open. */
    public Uni<TwilioCredentials> find(UUID providerId) {
        return repository.find(providerId).map(sealed -> sealed == null ? null : open(sealed));
    }

    /**
     * The REST credentials from a row that selected {@link #JOINED_COLUMNS}; null when the join found no provider.
     * Throws when its secrets no longer open.
     */
    public TwilioCredentials fromJoinedRow(Row row) {
        SealedProvider sealed = SealedProvider.of(row);
        return sealed == null ? null : open(sealed);
    }

    /** The REST credentials of a provider entity the caller has already read (its secrets still sealed). */
    public TwilioCredentials of(Provider provider) {
        return secrets.credentials(provider);
    }

    /** Every provider's signing keys; a provider whose tokens no longer open has none (see {@link #loadSigningKeys}). */
    public Uni<List<SigningKeys>> signingKeys() {
        return loadSigningKeys().map(SigningLoad::keys);
    }

    /** One provider's signing keys; empty when it is gone or its tokens no longer open. */
    public Uni<List<SigningKeys>> signingKeys(UUID providerId) {
        return loadSigningKeys(providerId).map(SigningLoad::keys);
    }

    /** Every provider's signing keys, and which providers' tokens did not all open. */
    public Uni<SigningLoad> loadSigningKeys() {
        return repository.findAll().map(this::signingKeys);
    }

    /** One provider's signing keys (none when it is gone), and whether its tokens did not all open. */
    public Uni<SigningLoad> loadSigningKeys(UUID providerId) {
        return repository.find(providerId).map(sealed -> signingKeys(sealed == null ? List.of() : List.of(sealed)));
    }

    private SigningLoad signingKeys(List<SealedProvider> providers) {
        var keys = new ArrayList<SigningKeys>(providers.size());
        var undecryptable = new HashSet<UUID>();
        for (SealedProvider p : providers) {
            String current;
            try {
                current = secrets.open(p.id(), SecretField.AUTH_TOKEN, p.authTokenEnc());
            } catch (RuntimeException e) {
                // A token that does not decrypt (a key this replica does not read yet) must not hide any other's.
                LOG.debugf("provider %s: its auth token cannot be decrypted here (%s)", p.id(), e.getMessage());
                undecryptable.add(p.id());
                continue;
            }
            String previous = previousToken(p, undecryptable);
            keys.add(new SigningKeys(p.id(), p.accountSid(), current, previous,
                    previous == null ? null : p.previousAuthTokenExpiresAt().toInstant(), us1Token(p, undecryptable)));
        }
        return new SigningLoad(keys, Set.copyOf(undecryptable));
    }

    /** The provider's US1 auth token, if it has one; one that does not decrypt here is left out alone. */
    private String us1Token(SealedProvider p, Set<UUID> undecryptable) {
        return openAlone(p, SecretField.US1_AUTH_TOKEN, p.us1AuthTokenEnc(), undecryptable);
    }

    /** The replaced token while it is still in its grace; one that does not decrypt here is left out alone. */
    private String previousToken(SealedProvider p, Set<UUID> undecryptable) {
        if (p.previousAuthTokenExpiresAt() == null) {
            return null;
        }
        return openAlone(p, SecretField.PREVIOUS_AUTH_TOKEN, p.previousAuthTokenEnc(), undecryptable);
    }

    /**
     * A token beside the provider's current one: null when there is none, or when it does not decrypt here (a key
     * this replica does not read yet), which marks the provider without hiding its other tokens.
     */
    private String openAlone(SealedProvider p, SecretField field, String sealed, Set<UUID> undecryptable) {
        if (sealed == null) {
            return null;
        }
        try {
            return secrets.open(p.id(), field, sealed);
        } catch (RuntimeException e) {
            LOG.debugf("provider %s: its %s cannot be decrypted here (%s)", p.id(), field, e.getMessage());
            undecryptable.add(p.id());
            return null;
        }
    }

    private TwilioCredentials open(SealedProvider p) {
        return secrets.credentials(p);
    }
}
