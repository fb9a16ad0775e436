package io.switchboard.provider;

import com.fasterxml.jackson.core.type.TypeReference;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.db.Database;
import io.switchboard.db.JsonColumns;
import io.switchboard.provider.ProviderView.Check;
import io.switchboard.tenant.TenantContext;
import io.switchboard.twilio.IncomingNumber;
import io.switchboard.twilio.IncomingNumberScan;
import io.switchboard.twilio.TwilioCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.OptimisticLockException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.hibernate.StaleStateException;
import org.jboss.logging.Logger;

/**
 * Connected Twilio accounts. Calls to Twilio never run inside a database transaction: Twilio is checked and provisioned
 * first, and only then is the result stored, in one short transaction.
 */
@ApplicationScoped
public class ProviderService {

    private static final Logger LOG = Logger.getLogger(ProviderService.class);
    /** Tries of one change against concurrent writes to the same provider. */
    private static final int STORE_ATTEMPTS = 3;
    private static final TypeReference<List<Check>> CHECKS = new TypeReference<>() {
    };

    /** A number of the account as {@code available-numbers} lists it. */
    public record AvailableNumber(String number, String sid, String friendlyName,
            IncomingNumber.Capabilities capabilities,
            boolean imported) {
    }

    private final ProviderRepository providers;
    private final ImportedNumbers numbers;
    private final ProviderSecrets secrets;
    private final TrunkProvisioner provisioner;
    private final ProviderVerifier verifier;
    private final IncomingNumberScan scan;
    private final ProvidersConfig config;
    private final JsonColumns json;
    private final TenantContext tenant;

    public ProviderService(ProviderRepository providers, ImportedNumbers numbers, ProviderSecrets secrets,
            TrunkProvisioner provisioner, ProviderVerifier verifier, IncomingNumberScan scan,
            ProvidersConfig config, JsonColumns json, TenantContext tenant) {
        this.providers = providers;
        this.numbers = numbers;
        this.secrets = secrets;
        this.provisioner = provisioner;
        this.verifier = verifier;
        this.scan = scan;
        this.config = config;
        this.json = json;
        this.tenant = tenant;
    }

    /** Refuses a duplicate, checks the credentials, provisions the trunk, and only then stores the provider. */
    public Uni<ProviderView> create(ProviderRequest request) {
        request.validate();
        var provider = newProvider(request);
        var creds = credentials(request);
        return refuseDuplicate(provider)
                .chain(() -> requireAccepted(provider, creds))
                .chain(checks -> provisioner.provision(creds, provider.name)
                        .invoke(trunk -> recordTrunk(provider, trunk, checks)))
                .invoke(trunk -> sealSecrets(provider, request, trunk))
                .chain(trunk -> storeNew(provider, creds, trunk))
                .invoke(saved -> LOG.infof("provider %s connected: account %s in %s, trunk %s", saved.id,
                        saved.accountSid, saved.region, saved.trunkSid))
                .map(saved -> view(saved, 0));
    }

    public Uni<ProviderView> find(UUID id) {
        return Panache.withSession(() -> providers.findById(id)
                .chain(p -> p == null ? Uni.createFrom().nullItem() : withCount(p)));
    }

    public Uni<ListResponse<ProviderView>> list(PageRequest page) {
        return Panache.withSession(() -> providers.page("", Map.of(), page).chain(result -> {
            if (result.items().isEmpty()) {
                return Uni.createFrom().item(result.map(p -> view(p, 0)));
            }
            return Uni.join().all(result.items().stream().map(this::withCount).toList()).andFailFast()
                    .map(views -> new ListResponse<>(views, result.nextCursor()));
        }));
    }

    /**
     * Runs every check now and stores the outcome, unless the provider changed while Twilio was asked (its credentials
     * may have been rotated): checks of replaced credentials are dropped, never written over the new ones.
     */
    public Uni<ProviderView> verify(UUID id) {
        return load(id).chain(loaded -> verifier.verify(loaded.provider(), secrets.credentials(loaded.provider()),
                loaded.numbers())
                .chain(checks -> Panache.withTransaction(() -> providers.findById(id).invoke(p -> {
                    if (p != null && p.version == loaded.provider().version) {
                        recordVerification(p, checks);
                    } else if (p != null) {
                        LOG.infof("provider %s changed during its verification; its checks are not stored", id);
                    }
                })))
                .onFailure(ProviderService::isConcurrentWrite).recoverWithUni(e -> {
                    LOG.infof("provider %s changed while its verification was stored; its checks are dropped", id);
                    return Panache.withSession(() -> providers.findById(id));
                })
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .map(p -> view(p, loaded.numbers().size())));
    }

    /**
     * Ends the grace of the auth token a rotation replaced, at once (it may be compromised): from then on only the
     * current token is accepted in webhook signatures, on every replica once the change feed tells it.
     */
    public Uni<ProviderView> endTokenGrace(UUID id) {
        return load(id).chain(loaded -> {
            if (!hasPreviousToken(loaded.provider())) {
                return Uni.createFrom().item(view(loaded.provider(), loaded.numbers().size()));
            }
            return store(id, p -> {
                p.previousAuthTokenEnc = null;
                p.previousAuthTokenExpiresAt = null;
                LOG.infof("provider %s: the previous auth token's grace ended", p.id);
            }, loaded.numbers().size());
        });
    }

    private static boolean hasPreviousToken(Provider p) {
        return p.previousAuthTokenEnc != null || p.previousAuthTokenExpiresAt != null;
    }

    /**
     * A new name, or new credentials: these are applied only after Twilio accepts them and every imported number is
     * reachable with them; otherwise nothing changes. A replaced auth token stays valid for webhook signatures for
     * the configured grace period, as Twilio may still sign with it.
     */
    public Uni<ProviderView> update(UUID id, ProviderPatch patch) {
        patch.validate();
        return load(id).chain(loaded -> requireUs1Accepted(loaded.provider(), patch)
                .chain(() -> patch.rotatesCredentials()
                        ? rotate(loaded, patch)
                        : store(id, p -> {
                            rename(p, patch);
                            repace(p, patch);
                            replaceUs1Credentials(p, patch);
                        }, loaded.numbers().size())));
    }

    /**
     * Removes the trunk and credential list it created in Twilio, then the provider. Refused while numbers are
     * imported. When Twilio cannot remove them the provider is kept and the failure reported, unless {@code force}.
     */
    public Uni<Void> delete(UUID id, boolean force) {
        return load(id)
                .invoke(ProviderService::refuseWhileNumbersImported)
                .chain(loaded -> removeTrunk(loaded.provider(), force))
                .chain(() -> deleteStored(id));
    }

    /** Every number of the account, from Twilio a page at a time, each marked whether it is imported here. */
    public Uni<List<AvailableNumber>> availableNumbers(UUID id) {
        return load(id).chain(loaded -> {
            Set<String> imported = Set.copyOf(loaded.numbers());
            return scan.fold(secrets.credentials(loaded.provider()), new ArrayList<AvailableNumber>(),
                    (all, n) -> all.add(new AvailableNumber(n.phoneNumber(), n.sid(), n.friendlyName(),
                            n.capabilities(), imported.contains(n.phoneNumber()))))
                    .map(List::copyOf);
        });
    }

    /**
     * Background verification of one provider, as its own organization; needs an active request context. Returns
     * false when none was due.
     */
    public Uni<Boolean> verifyNextDue() {
        return Panache.withTransaction(() -> providers.claimNextToVerify(config.verifyInterval()))
                .chain(id -> {
                    if (id == null) {
                        return Uni.createFrom().item(false);
                    }
                    return Panache.withSession(() -> providers.findByIdAsSystem(id)).chain(provider -> {
                        if (provider == null) {
                            return Uni.createFrom().item(true);
                        }
                        tenant.actAsOrganization(provider.organizationId);
                        return verify(id).replaceWith(true);
                    });
                });
    }

    /** A provider as it was loaded, with its imported numbers (E.164). */
    private record Loaded(Provider provider, List<String> numbers) {
    }

    private Uni<Loaded> load(UUID id) {
        return Panache.withSession(() -> providers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .chain(p -> numbers.numbersByProvider(p.id).map(list -> new Loaded(p, list))));
    }

    private static Provider newProvider(ProviderRequest request) {
        var provider = new Provider();
        provider.id = UUID.randomUUID();
        provider.type = "twilio";
        provider.name = request.name().strip();
        provider.accountSid = request.accountSid();
        provider.region = request.regionOrDefault().id();
        provider.edge = request.edgeOrDefault();
        provider.apiKeySid = request.apiKeySid();
        provider.us1ApiKeySid = request.us1ApiKeySid();
        provider.enableTransfers = Boolean.TRUE.equals(request.enableTransfers());
        provider.callsPerSecond = request.callsPerSecond();
        provider.segmentsPerSecond = request.segmentsPerSecond();
        return provider;
    }

    private static TwilioCredentials credentials(ProviderRequest request) {
        return new TwilioCredentials(request.accountSid(), request.authToken(), request.apiKeySid(),
                request.apiKeySecret(), request.regionOrDefault(), request.edgeOrDefault())
                .withUs1(request.us1AuthToken(), request.us1ApiKeySid(), request.us1ApiKeySecret());
    }

    private Uni<Void> refuseDuplicate(Provider provider) {
        return Panache.withSession(() -> providers.existsForAccount(provider.accountSid, provider.region))
                .invoke(exists -> {
                    if (exists) {
                        throw new ProviderFailure.AlreadyConnected();
                    }
                })
                .replaceWithVoid();
    }

    /**
     * The checks of credentials Twilio accepted; refused ones fail, naming the secret that was refused: the regional
     * credentials in their region, the US1 credentials in US1.
     */
    private Uni<List<Check>> requireAccepted(Provider provider, TwilioCredentials creds) {
        return verifier.verify(provider, creds, List.of()).invoke(checks -> {
            if (refused(checks)) {
                throw new ProviderFailure.CredentialsRefused(creds.usesApiKey() ? "apiKeySecret" : "authToken");
            }
            if (ProviderVerifier.us1Refused(checks)) {
                throw new ProviderFailure.CredentialsRefused(us1Field(creds.us1Credentials().orElseThrow()));
            }
        });
    }

    /** New US1 credentials of a patch, checked against US1 alone; nothing when the patch has none. */
    private Uni<Void> requireUs1Accepted(Provider provider, ProviderPatch patch) {
        if (!patch.setsUs1Credentials()) {
            return Uni.createFrom().voidItem();
        }
        patch.validateUs1(provider.region);
        var us1 = secrets.credentials(provider)
                .withUs1(patch.us1AuthToken(), patch.us1ApiKeySid(), patch.us1ApiKeySecret())
                .us1Credentials().orElseThrow();
        return verifier.us1Accepted(us1).invoke(accepted -> {
            if (!accepted) {
                throw new ProviderFailure.CredentialsRefused(us1Field(us1));
            }
        }).replaceWithVoid();
    }

    private static String us1Field(TwilioCredentials us1) {
        return us1.usesApiKey() ? "us1ApiKeySecret" : "us1AuthToken";
    }

    /** The patch's US1 credentials replace the provider's: an auth token, an API key, or both, as given. */
    private void replaceUs1Credentials(Provider p, ProviderPatch patch) {
        if (!patch.setsUs1Credentials()) {
            return;
        }
        p.us1AuthTokenEnc = secrets.seal(p, SecretField.US1_AUTH_TOKEN, patch.us1AuthToken());
        p.us1ApiKeySid = patch.us1ApiKeySid();
        p.us1ApiKeySecretEnc = secrets.seal(p, SecretField.US1_API_KEY_SECRET, patch.us1ApiKeySecret());
        LOG.infof("provider %s: US1 credentials set", p.id);
    }

    /** The trunk and its check, which takes the place of the verifier's "no trunk yet". */
    private void recordTrunk(Provider provider, TrunkProvisioner.Trunk trunk, List<Check> checks) {
        provider.trunkSid = trunk.trunkSid();
        provider.credentialListSid = trunk.credentialListSid();
        provider.terminationUri = trunk.terminationUri();
        provider.sipUsername = trunk.sipUsername();
        var trunkCheck = new Check("trunk", ProviderVerifier.OK, "trunk " + trunk.trunkSid()
                + " provisioned with its credential list", Instant.now());
        var all = new ArrayList<>(checks.stream().filter(c -> !c.name().equals("trunk")).toList());
        all.add(1, trunkCheck);
        recordVerification(provider, all);
    }

    private void sealSecrets(Provider provider, ProviderRequest request, TrunkProvisioner.Trunk trunk) {
        provider.authTokenEnc = secrets.seal(provider, SecretField.AUTH_TOKEN, request.authToken());
        provider.apiKeySecretEnc = secrets.seal(provider, SecretField.API_KEY_SECRET, request.apiKeySecret());
        provider.sipPasswordEnc = secrets.seal(provider, SecretField.SIP_PASSWORD, trunk.sipPassword());
        provider.us1AuthTokenEnc = secrets.seal(provider, SecretField.US1_AUTH_TOKEN, request.us1AuthToken());
        provider.us1ApiKeySecretEnc = secrets.seal(provider, SecretField.US1_API_KEY_SECRET,
                request.us1ApiKeySecret());
    }

    /** Stores the new provider; when that fails, the trunk just provisioned for it is removed again. */
    private Uni<Provider> storeNew(Provider provider, TwilioCredentials creds, TrunkProvisioner.Trunk trunk) {
        return Panache.withTransaction(() -> providers.persist(provider))
                .onFailure().call(e -> provisioner.remove(creds, trunk.trunkSid(), trunk.credentialListSid())
                        .onFailure().recoverWithNull())
                .onFailure(Database::isUniqueViolation).transform(e -> new ProviderFailure.AlreadyConnected());
    }

    private Uni<ProviderView> rotate(Loaded loaded, ProviderPatch patch) {
        TwilioCredentials old = secrets.credentials(loaded.provider());
        TwilioCredentials next = replaced(old, patch);
        return requireNewAccepted(loaded.provider(), next)
                .chain(() -> requireReachable(next, loaded.numbers()))
                .chain(() -> store(loaded.provider().id, p -> {
                    rename(p, patch);
                    repace(p, patch);
                    // The token replaced is the one stored now, which a concurrent rotation may have changed since
                    // the load.
                    replaceCredentials(p, patch, secrets.credentials(p));
                    replaceUs1Credentials(p, patch);
                }, loaded.numbers().size()));
    }

    /** The credentials after the patch: the old ones with a new auth token, a new API key, or both. */
    private static TwilioCredentials replaced(TwilioCredentials old, ProviderPatch patch) {
        String token = patch.authToken() != null ? patch.authToken() : old.authToken();
        String keySid = patch.apiKeySid() != null ? patch.apiKeySid() : old.apiKeySid();
        String keySecret = patch.apiKeySid() != null ? patch.apiKeySecret() : old.apiKeySecret();
        return new TwilioCredentials(old.accountSid(), token, keySid, keySecret, old.region(), old.edge());
    }

    private Uni<Void> requireNewAccepted(Provider provider, TwilioCredentials next) {
        return verifier.verify(provider, next, List.of()).invoke(checks -> {
            if (refused(checks)) {
                throw new ProviderFailure.NewCredentialsRefused();
            }
        }).replaceWithVoid();
    }

    private Uni<Void> requireReachable(TwilioCredentials next, List<String> imported) {
        return unreachable(next, imported).invoke(missing -> {
            if (!missing.isEmpty()) {
                throw new ProviderFailure.NumbersUnreachable(missing);
            }
        }).replaceWithVoid();
    }

    private static void rename(Provider provider, ProviderPatch patch) {
        if (patch.name() != null) {
            provider.name = patch.name().strip();
        }
    }

    private static void repace(Provider provider, ProviderPatch patch) {
        if (patch.callsPerSecond() != null) {
            provider.callsPerSecond = patch.callsPerSecond();
        }
        if (patch.segmentsPerSecond() != null) {
            provider.segmentsPerSecond = patch.segmentsPerSecond();
        }
    }

    /** Seals the new secrets; a replaced auth token is kept, sealed, until its grace period ends. */
    private void replaceCredentials(Provider p, ProviderPatch patch, TwilioCredentials old) {
        if (patch.authToken() != null && !patch.authToken().equals(old.authToken())) {
            p.previousAuthTokenEnc = old.authToken() == null ? null
                    : secrets.seal(p, SecretField.PREVIOUS_AUTH_TOKEN, old.authToken());
            p.previousAuthTokenExpiresAt = Instant.now().plus(config.previousTokenGrace());
            p.authTokenEnc = secrets.seal(p, SecretField.AUTH_TOKEN, patch.authToken());
        }
        if (patch.apiKeySid() != null) {
            p.apiKeySid = patch.apiKeySid();
            p.apiKeySecretEnc = secrets.seal(p, SecretField.API_KEY_SECRET, patch.apiKeySecret());
        }
        LOG.infof("provider %s: credentials rotated", p.id);
    }

    private static void refuseWhileNumbersImported(Loaded loaded) {
        if (!loaded.numbers().isEmpty()) {
            throw new ProviderFailure.StillHasNumbers(loaded.numbers().size());
        }
    }

    /** Removes the provider's trunk and credential list from Twilio; with {@code force} a failure only is logged. */
    private Uni<Void> removeTrunk(Provider p, boolean force) {
        Uni<Void> removal = provisioner.remove(secrets.credentials(p), p.trunkSid, p.credentialListSid);
        if (force) {
            return removal.onFailure().invoke(e -> LOG.warnf("provider %s deleted without Twilio cleanup: %s", p.id,
                    e.getMessage())).onFailure().recoverWithNull();
        }
        return removal.onFailure()
                .transform(e -> new ProviderFailure.CleanupRefused(p.trunkSid, p.credentialListSid, e));
    }

    private Uni<Void> deleteStored(UUID id) {
        return Panache.withTransaction(() -> providers.findById(id)
                .chain(found -> found == null ? Uni.createFrom().voidItem() : providers.delete(found)));
    }

    /**
     * Applies the change to the provider as stored now, in one transaction. A concurrent write to the row (a
     * verification being stored) makes the transaction fail on the version; the change is then applied again to the
     * row as it is, a few times.
     */
    private Uni<ProviderView> store(UUID id, Consumer<Provider> change, long numberCount) {
        return Panache.withTransaction(() -> providers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .invoke(p -> {
                    change.accept(p);
                    p.updatedAt = Instant.now();
                }))
                .onFailure(ProviderService::isConcurrentWrite).retry().atMost(STORE_ATTEMPTS - 1)
                .map(p -> view(p, numberCount));
    }

    /** A write through the entity found the row changed since it was read ({@link Provider#version}). */
    static boolean isConcurrentWrite(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StaleStateException || t instanceof OptimisticLockException) {
                return true;
            }
        }
        return false;
    }

    /** Each provider's imported-number count, one query each: lists are at most 500 providers and usually a few. */
    private Uni<ProviderView> withCount(Provider provider) {
        return numbers.countByProvider(provider.id).map(count -> view(provider, count));
    }

    /** The imported numbers that the account reachable with these credentials does not have; linear in both. */
    private Uni<List<String>> unreachable(TwilioCredentials creds, List<String> imported) {
        if (imported.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return scan.fold(creds, new LinkedHashSet<>(imported), (missing, n) -> missing.remove(n.phoneNumber()))
                .map(List::copyOf);
    }

    private void recordVerification(Provider provider, List<Check> checks) {
        Instant now = Instant.now();
        provider.verificationStatus = ProviderVerifier.overall(checks);
        provider.lastVerifiedAt = now;
        provider.updatedAt = now;
        if (provider.createdAt == null) {
            provider.createdAt = now;
        }
        provider.verification = json.write(checks);
    }

    /** When the replaced auth token stops being accepted; null when none is (any more). */
    private static Instant graceEnd(Provider p) {
        if (p.previousAuthTokenEnc == null || p.previousAuthTokenExpiresAt == null
                || !p.previousAuthTokenExpiresAt.isAfter(Instant.now())) {
            return null;
        }
        return p.previousAuthTokenExpiresAt;
    }

    private static boolean refused(List<Check> checks) {
        return ProviderVerifier.credentialsRefused(checks);
    }

    ProviderView view(Provider p, long numberCount) {
        ProviderView.Verification verification = null;
        if (p.verification != null) {
            verification = new ProviderView.Verification(json.read(p.verification, CHECKS));
        }
        return new ProviderView(p.id, p.name, p.type, p.accountSid, p.region, p.edge, p.verificationStatus,
                p.lastVerifiedAt, verification, numberCount, p.trunkSid, p.terminationUri, p.sipUsername,
                p.enableTransfers, p.createdAt, p.updatedAt, graceEnd(p),
                p.us1ApiKeySecretEnc != null ? "api_key" : p.us1AuthTokenEnc != null ? "auth_token" : "none",
                p.callsPerSecond, p.segmentsPerSecond);
    }
}
