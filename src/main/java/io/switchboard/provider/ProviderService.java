package io.switchboard.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.switchboard.common.ApiError;
import io.switchboard.common.ApiException;
import io.switchboard.db.Database;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.number.PhoneNumber;
import io.switchboard.number.PhoneNumberRepository;
import io.switchboard.provider.ProviderView.Check;
import io.switchboard.tenant.TenantContext;
import io.switchboard.twilio.IncomingNumber;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Connected Twilio accounts. Calls to Twilio never run inside a database transaction: Twilio is checked and provisioned
 * first, and only then is the result stored, in one short transaction.
 */
@ApplicationScoped
public class ProviderService {

    private static final Logger LOG = Logger.getLogger(ProviderService.class);
    private static final TypeReference<List<Check>> CHECKS = new TypeReference<>() {
    };

    /** A number of the account as {@code available-numbers} lists it. */
    public record AvailableNumber(String number, String sid, String friendlyName, IncomingNumber.Capabilities capabilities,
            boolean imported) {
    }

    private final ProviderRepository providers;
    private final PhoneNumberRepository numbers;
    private final ProviderSecrets secrets;
    private final TrunkProvisioner provisioner;
    private final ProviderVerifier verifier;
    private final TwilioClient twilio;
    private final ProvidersConfig config;
    private final ObjectMapper json;
    private final TenantContext tenant;

    public ProviderService(ProviderRepository providers, PhoneNumberRepository numbers, ProviderSecrets secrets,
            TrunkProvisioner provisioner, ProviderVerifier verifier, TwilioClient twilio, ProvidersConfig config,
            ObjectMapper json, TenantContext tenant) {
        this.providers = providers;
        this.numbers = numbers;
        this.secrets = secrets;
        this.provisioner = provisioner;
        this.verifier = verifier;
        this.twilio = twilio;
        this.config = config;
        this.json = json;
        this.tenant = tenant;
    }

    /** Checks the credentials, refuses a duplicate, provisions the trunk, and only then stores the provider. */
    public Uni<ProviderView> create(ProviderRequest request) {
        request.validate();
        var provider = new Provider();
        provider.id = UUID.randomUUID();
        provider.type = "twilio";
        provider.name = request.name().strip();
        provider.accountSid = request.accountSid();
        provider.region = request.regionOrDefault().id();
        provider.edge = request.edgeOrDefault();
        provider.apiKeySid = request.apiKeySid();
        provider.enableTransfers = Boolean.TRUE.equals(request.enableTransfers());
        var creds = new TwilioCredentials(provider.accountSid, request.authToken(), request.apiKeySid(),
                request.apiKeySecret(), request.regionOrDefault(), provider.edge);

        return Panache.withSession(() -> providers.existsForAccount(provider.accountSid, provider.region))
                .invoke(exists -> {
                    if (exists) {
                        throw duplicate();
                    }
                })
                .chain(() -> verifier.verify(provider, creds, List.of()))
                .invoke(checks -> {
                    if (ProviderVerifier.overall(checks).equals(ProviderVerifier.FAILED)) {
                        throw new ApiException(422, "twilio_auth_failed", "Twilio refused the credentials",
                                List.of(new ApiError.FieldError(creds.usesApiKey() ? "apiKeySecret" : "authToken",
                                        "refused by Twilio")));
                    }
                })
                .chain(checks -> provisioner.provision(creds, provider.name).chain(trunk -> {
                    provider.trunkSid = trunk.trunkSid();
                    provider.credentialListSid = trunk.credentialListSid();
                    provider.terminationUri = trunk.terminationUri();
                    provider.sipUsername = trunk.sipUsername();
                    provider.authTokenEnc = secrets.seal(provider, SecretField.AUTH_TOKEN, request.authToken());
                    provider.apiKeySecretEnc = secrets.seal(provider, SecretField.API_KEY_SECRET, request.apiKeySecret());
                    provider.sipPasswordEnc = secrets.seal(provider, SecretField.SIP_PASSWORD, trunk.sipPassword());
                    var trunkCheck = new Check("trunk", ProviderVerifier.OK, "trunk " + trunk.trunkSid()
                            + " provisioned with its credential list", Instant.now());
                    var all = new ArrayList<>(checks.stream().filter(c -> !c.name().equals("trunk")).toList());
                    all.add(1, trunkCheck);
                    recordVerification(provider, all);
                    return Panache.withTransaction(() -> providers.persist(provider))
                            .onFailure().call(e -> provisioner.remove(creds, trunk.trunkSid(), trunk.credentialListSid())
                                    .onFailure().recoverWithNull())
                            .onFailure(Database::isUniqueViolation).transform(e -> duplicate());
                }))
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

    /** Runs every check now and stores the outcome. */
    public Uni<ProviderView> verify(UUID id) {
        return load(id).chain(loaded -> verifier.verify(loaded.provider, secrets.credentials(loaded.provider),
                        loaded.numbers)
                .chain(checks -> Panache.withTransaction(() -> providers.findById(id).invoke(p -> {
                    if (p != null) {
                        recordVerification(p, checks);
                    }
                })))
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .map(p -> view(p, loaded.numbers.size())));
    }

    /**
     * A new name, or new credentials: these are applied only after Twilio accepts them and every imported number is
     * reachable with them; otherwise nothing changes. A replaced auth token stays valid for webhook signatures for
     * the configured grace period, as Twilio may still sign with it.
     */
    public Uni<ProviderView> update(UUID id, ProviderPatch patch) {
        patch.validate();
        return load(id).chain(loaded -> {
            Provider current = loaded.provider;
            if (!patch.rotatesCredentials()) {
                return store(id, p -> {
                    if (patch.name() != null) {
                        p.name = patch.name().strip();
                    }
                }, loaded.numbers.size());
            }
            TwilioCredentials old = secrets.credentials(current);
            String newToken = patch.authToken() != null ? patch.authToken() : old.authToken();
            String newKeySid = patch.apiKeySid() != null ? patch.apiKeySid() : old.apiKeySid();
            String newKeySecret = patch.apiKeySid() != null ? patch.apiKeySecret() : old.apiKeySecret();
            var next = new TwilioCredentials(current.accountSid, newToken, newKeySid, newKeySecret, old.region(),
                    old.edge());
            return verifier.verify(current, next, List.of())
                    .invoke(checks -> {
                        if (ProviderVerifier.overall(checks).equals(ProviderVerifier.FAILED)) {
                            throw new ApiException(422, "twilio_auth_failed", "Twilio refused the new credentials");
                        }
                    })
                    .chain(() -> unreachable(next, loaded.numbers))
                    .chain(unreachable -> {
                        if (!unreachable.isEmpty()) {
                            return Uni.createFrom().failure(new ApiException(422, "numbers_unreachable",
                                    unreachable.size() + " imported number(s) are not reachable with the new "
                                            + "credentials; the old credentials stay",
                                    unreachable.stream().map(n -> new ApiError.FieldError(n,
                                            "not in the account reachable with the new credentials")).toList()));
                        }
                        return store(id, p -> {
                            if (patch.name() != null) {
                                p.name = patch.name().strip();
                            }
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
                            LOG.infof("provider %s: credentials rotated", id);
                        }, loaded.numbers.size());
                    });
        });
    }

    /**
     * Removes the trunk and credential list it created in Twilio, then the provider. Refused while numbers are
     * imported. When Twilio cannot remove them the provider is kept and the failure reported, unless {@code force}.
     */
    public Uni<Void> delete(UUID id, boolean force) {
        return load(id).chain(loaded -> {
            if (!loaded.numbers.isEmpty()) {
                return Uni.createFrom().failure(ApiException.conflict("provider_in_use", "provider has "
                        + loaded.numbers.size() + " imported phone number(s); delete them first"));
            }
            Provider p = loaded.provider;
            Uni<Void> cleanup = provisioner.remove(secrets.credentials(p), p.trunkSid, p.credentialListSid);
            cleanup = force
                    ? cleanup.onFailure().invoke(e -> LOG.warnf("provider %s deleted without Twilio cleanup: %s", id,
                            e.getMessage())).onFailure().recoverWithNull()
                    : cleanup.onFailure().transform(e -> new ApiException(502, "twilio_cleanup_failed",
                            "could not remove trunk " + p.trunkSid + " and credential list " + p.credentialListSid
                                    + " from the Twilio account (" + e.getMessage() + "); retry, or delete with "
                                    + "?force=true to keep them in Twilio"));
            return cleanup
                    .chain(() -> Panache.withTransaction(() -> providers.findById(id)
                            .chain(found -> found == null ? Uni.createFrom().voidItem() : providers.delete(found))));
        });
    }

    /** Every number of the account, from Twilio, each marked whether it is imported here. */
    public Uni<List<AvailableNumber>> availableNumbers(UUID id) {
        return load(id).chain(loaded -> {
            Set<String> imported = loaded.numbers.stream().map(n -> n.number).collect(Collectors.toSet());
            return twilio.listIncomingNumbers(secrets.credentials(loaded.provider))
                    .map(all -> all.stream().map(n -> new AvailableNumber(n.phoneNumber(), n.sid(), n.friendlyName(),
                            n.capabilities(), imported.contains(n.phoneNumber()))).toList());
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

    private record Loaded(Provider provider, List<PhoneNumber> numbers) {
    }

    private Uni<Loaded> load(UUID id) {
        return Panache.withSession(() -> providers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .chain(p -> numbers.listByProvider(p.id).map(list -> new Loaded(p, list))));
    }

    private Uni<ProviderView> store(UUID id, Consumer<Provider> change, long numberCount) {
        return Panache.withTransaction(() -> providers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("provider"))
                .invoke(p -> {
                    change.accept(p);
                    p.updatedAt = Instant.now();
                }))
                .map(p -> view(p, numberCount));
    }

    /** Each provider's imported-number count, one query each: lists are at most 500 providers and usually a few. */
    private Uni<ProviderView> withCount(Provider provider) {
        return numbers.countByProvider(provider.id).map(count -> view(provider, count));
    }

    /** The imported numbers that the account reachable with these credentials does not have. */
    private Uni<List<String>> unreachable(TwilioCredentials creds, List<PhoneNumber> imported) {
        if (imported.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return twilio.listIncomingNumbers(creds).map(inAccount -> {
            Set<String> present = inAccount.stream().map(IncomingNumber::phoneNumber).collect(Collectors.toSet());
            return imported.stream().map(n -> n.number).filter(n -> !present.contains(n)).toList();
        });
    }

    private void recordVerification(Provider provider, List<Check> checks) {
        Instant now = Instant.now();
        provider.verificationStatus = ProviderVerifier.overall(checks);
        provider.lastVerifiedAt = now;
        provider.updatedAt = now;
        if (provider.createdAt == null) {
            provider.createdAt = now;
        }
        try {
            provider.verification = json.writeValueAsString(checks);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    ProviderView view(Provider p, long numberCount) {
        ProviderView.Verification verification = null;
        if (p.verification != null) {
            try {
                verification = new ProviderView.Verification(json.readValue(p.verification, CHECKS));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored verification is not valid JSON", e);
            }
        }
        return new ProviderView(p.id, p.name, p.type, p.accountSid, p.region, p.edge, p.verificationStatus,
                p.lastVerifiedAt, verification, numberCount, p.trunkSid, p.terminationUri, p.sipUsername,
                p.enableTransfers, p.createdAt, p.updatedAt);
    }

    private static ApiException duplicate() {
        return ApiException.conflict("provider_exists",
                "this organization already has a provider for that account in that region");
    }
}
