package io.switchboard.number;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.switchboard.agent.AgentRepository;
import io.switchboard.common.ApiException;
import io.switchboard.common.ListResponse;
import io.switchboard.common.PageRequest;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.db.Database;
import io.switchboard.db.JsonColumns;
import io.switchboard.provider.Provider;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.provider.ProviderRepository;
import io.switchboard.twilio.IncomingNumber;
import io.switchboard.twilio.IncomingNumberScan;
import io.switchboard.twilio.NumberConfiguration;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Imports a customer's Twilio numbers, assigns them to agents and gives them back. Importing points the number's
 * webhooks at this service and keeps its previous configuration; deleting restores it and never releases the number.
 * A number is claimed in the database before Twilio is touched, so two organizations racing for one number cannot
 * both win, and a Twilio failure releases the claim again.
 */
@ApplicationScoped
public class PhoneNumberService {

    private static final Logger LOG = Logger.getLogger(PhoneNumberService.class);

    private final PhoneNumberRepository numbers;
    private final ProviderRepository providers;
    private final AgentRepository agents;
    private final ProviderCredentials credentials;
    private final TwilioClient twilio;
    private final IncomingNumberScan scan;
    private final WebhookUrls urls;
    private final JsonColumns json;

    public PhoneNumberService(PhoneNumberRepository numbers, ProviderRepository providers, AgentRepository agents,
            ProviderCredentials credentials, TwilioClient twilio, IncomingNumberScan scan, WebhookUrls urls,
            JsonColumns json) {
        this.numbers = numbers;
        this.providers = providers;
        this.agents = agents;
        this.credentials = credentials;
        this.twilio = twilio;
        this.scan = scan;
        this.urls = urls;
        this.json = json;
    }

    /** Checks the provider and agent, refuses a number imported anywhere, finds it in the account, and claims it. */
    public Uni<PhoneNumberView> importNumber(ImportRequest request) {
        request.validate();
        return Panache.withSession(() -> provider(request.providerId()).call(() -> agentIfAny(request.agentId())))
                .chain(provider -> {
                    var creds = credentials.of(provider);
                    return failedImport(provider, request.number()).chain(failed -> failed != null
                            ? retryImport(creds, failed, request.label(), request.agentId())
                            : notImportedYet(request.number())
                                    .chain(() -> findInAccount(creds, request.number()))
                                    .chain(found -> claimAndConfigure(provider, creds, found, request.label(),
                                            request.agentId())));
                })
                .map(PhoneNumberView::of);
    }

    /**
     * Each number succeeds or fails on its own. The account's numbers are read from Twilio once, a page at a time
     * (an account may have tens of thousands), and only the wanted ones are kept: linear, off the event loop.
     */
    public Uni<BulkImportResult> importNumbers(UUID providerId, BulkImportRequest request) {
        request.validate();
        var wanted = new LinkedHashSet<>(request.numbers());
        return Panache.withSession(() -> provider(providerId)).chain(provider -> {
            var creds = credentials.of(provider);
            return scan.fold(creds, new HashMap<String, IncomingNumber>(), (found, number) -> {
                if (wanted.contains(number.phoneNumber())) {
                    found.putIfAbsent(number.phoneNumber(), number);
                }
            }).chain(byNumber -> Multi.createFrom().iterable(wanted)
                    .onItem().transformToUniAndConcatenate(number -> importOne(provider, creds, byNumber, number))
                    .collect().asList());
        }).map(outcomes -> new BulkImportResult(
                outcomes.stream().filter(o -> o.imported() != null).map(o -> PhoneNumberView.of(o.imported())).toList(),
                outcomes.stream().filter(o -> o.failure() != null).map(Outcome::failure).toList()));
    }

    public Uni<PhoneNumberView> find(UUID id) {
        return Panache.withSession(() -> numbers.findById(id)).map(n -> n == null ? null : PhoneNumberView.of(n));
    }

    public Uni<ListResponse<PhoneNumberView>> list(UUID providerId, UUID agentId, PageRequest page) {
        var where = new StringBuilder();
        var params = new HashMap<String, Object>();
        if (providerId != null) {
            where.append("providerId = :providerId");
            params.put("providerId", providerId);
        }
        if (agentId != null) {
            where.append(where.isEmpty() ? "" : " and ").append("agentId = :agentId");
            params.put("agentId", agentId);
        }
        return Panache.withSession(() -> numbers.page(where.toString(), params, page))
                .map(p -> p.map(PhoneNumberView::of));
    }

    /** A new label, or another agent ({@code agentId: null} unassigns). */
    public Uni<PhoneNumberView> update(UUID id, PhoneNumberPatch patch) {
        String label = text(patch.label(), "label");
        if (label != null && label.length() > ImportRequest.MAX_LABEL) {
            throw ApiException.badRequest("label", "at most 100 characters");
        }
        UUID agentId = uuid(patch.agentId(), "agentId");
        return Panache.withTransaction(() -> numbers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("phone number"))
                .call(n -> agentId == null ? Uni.createFrom().voidItem() : agent(agentId))
                .invoke(n -> {
                    if (patch.label() != null) {
                        n.label = label;
                    }
                    if (patch.agentId() != null) {
                        n.agentId = agentId;
                    }
                    n.updatedAt = Instant.now();
                }))
                .map(PhoneNumberView::of);
    }

    /**
     * Gives the number back as it was before import. Refused while assigned. When Twilio cannot restore it the number
     * stays imported and the failure is reported, unless {@code force}.
     */
    public Uni<Void> delete(UUID id, boolean force) {
        return loadUnassigned(id).chain(owned -> restorePrevious(owned, force)
                .chain(() -> deleteUnlessAssigned(id))
                .onFailure(PhoneNumberFailure.AssignedDuringDelete.class).call(() -> pointHereAgain(owned)));
    }

    /** A number with the provider it was imported under. */
    private record Owned(PhoneNumber number, Provider provider) {
    }

    private Uni<Owned> loadUnassigned(UUID id) {
        return Panache.withSession(() -> numbers.findById(id)
                .onItem().ifNull().failWith(() -> ApiException.notFound("phone number"))
                .invoke(n -> {
                    if (n.agentId != null) {
                        throw new PhoneNumberFailure.Assigned();
                    }
                })
                .chain(n -> providers.findById(n.providerId).map(p -> new Owned(n, p))));
    }

    /** Gives the number its configuration from before the import; with {@code force} a failure only is logged. */
    private Uni<Void> restorePrevious(Owned owned, boolean force) {
        Uni<Void> restore = configure(owned, previousConfiguration(owned.number()));
        if (force) {
            return restore.onFailure().invoke(e -> LOG.warnf("number %s deleted without restoring Twilio: %s",
                    owned.number().id, e.getMessage())).onFailure().recoverWithNull();
        }
        return restore.onFailure().transform(PhoneNumberFailure.RestoreRefused::new);
    }

    /** Assigned while Twilio was being restored: the assignment wins, and the number stays. */
    private Uni<Void> deleteUnlessAssigned(UUID id) {
        return Panache.withTransaction(() -> numbers.findById(id).chain(n -> {
            if (n == null) {
                return Uni.createFrom().voidItem();
            }
            if (n.agentId != null) {
                return Uni.createFrom().failure(new PhoneNumberFailure.AssignedDuringDelete());
            }
            return numbers.delete(n);
        }));
    }

    /** After a restore that an assignment overtook: the number takes its calls here again. */
    private Uni<Void> pointHereAgain(Owned owned) {
        return configure(owned, ourConfiguration()).onFailure().invoke(failure -> LOG.errorf(
                "number %s: assigned during its delete, and pointing it here again failed: %s", owned.number().id,
                failure.getMessage())).onFailure().recoverWithNull();
    }

    private Uni<Void> configure(Owned owned, NumberConfiguration configuration) {
        return twilio.updateIncomingNumber(credentials.of(owned.provider()), owned.number().twilioSid,
                configuration).replaceWithVoid();
    }

    private record Outcome(PhoneNumber imported, BulkImportResult.Failure failure) {
    }

    private Uni<Outcome> importOne(Provider provider, TwilioCredentials creds, Map<String, IncomingNumber> inAccount,
            String number) {
        if (!PhoneNumbers.isE164(number)) {
            return Uni.createFrom().item(new Outcome(null, new BulkImportResult.Failure(number, "invalid_number")));
        }
        IncomingNumber found = inAccount.get(number);
        if (found == null) {
            return Uni.createFrom().item(new Outcome(null,
                    new BulkImportResult.Failure(number, "number_not_in_account")));
        }
        return failedImport(provider, number)
                .chain(failed -> failed != null ? retryImport(creds, failed, null, null)
                        : notImportedYet(number).chain(() -> claimAndConfigure(provider, creds, found, null, null)))
                .map(n -> new Outcome(n, null))
                .onFailure().recoverWithItem(e -> new Outcome(null, new BulkImportResult.Failure(number, code(e))));
    }

    /**
     * Claims the number in the database, then points it here at Twilio; when Twilio refuses, the claim is released.
     * The unique number makes a racing import, of any organization, lose at the claim.
     */
    private Uni<PhoneNumber> claimAndConfigure(Provider provider, TwilioCredentials creds, IncomingNumber incoming,
            String label, UUID agentId) {
        return claim(newRow(provider, incoming, label, agentId))
                .call(claimed -> twilio.updateIncomingNumber(creds, incoming.sid(), ourConfiguration())
                        .onFailure().call(e -> undoClaim(creds, claimed, e)));
    }

    /**
     * After a failed update. Refused by Twilio (a 4xx, a 429 included), it changed nothing, and the claim is released.
     * Otherwise (a timeout, a 5xx, no answer, the breaker open after those) it may have been applied, and the row holds
     * the only copy of the configuration it replaced: the number is given that configuration back first, and only then
     * released; when Twilio does not confirm that either, the row stays, marked, for a delete to restore or a retried
     * import to complete.
     */
    private Uni<Void> undoClaim(TwilioCredentials creds, PhoneNumber claimed, Throwable failure) {
        if (failure instanceof TwilioException e && e.httpStatus() >= 400 && e.httpStatus() < 500) {
            return release(claimed);
        }
        return twilio.updateIncomingNumber(creds, claimed.twilioSid, previousConfiguration(claimed))
                .chain(() -> release(claimed))
                .onFailure().recoverWithUni(e -> {
                    LOG.warnf("number %s: import unconfirmed by Twilio and its configuration not restored (%s); kept"
                            + " for a delete or a retried import", claimed.id, e.toString());
                    return markImportFailed(claimed);
                });
    }

    private Uni<Void> markImportFailed(PhoneNumber claimed) {
        return Panache.withTransaction(() -> numbers.findById(claimed.id).invoke(n -> {
            if (n != null) {
                n.importFailedAt = Instant.now();
                n.updatedAt = n.importFailedAt;
            }
        })).replaceWithVoid();
    }

    private Uni<PhoneNumber> failedImport(Provider provider, String number) {
        return Panache.withSession(() -> numbers.findFailedImport(provider.id, number));
    }

    /**
     * Imports again a number whose import was left unconfirmed, with the configuration stored then, not Twilio's
     * present one, which may be this service's own. A failure leaves it marked.
     */
    private Uni<PhoneNumber> retryImport(TwilioCredentials creds, PhoneNumber failed, String label, UUID agentId) {
        return twilio.updateIncomingNumber(creds, failed.twilioSid, ourConfiguration())
                .chain(() -> Panache.withTransaction(() -> numbers.findById(failed.id).invoke(n -> {
                    if (n == null) {
                        throw ApiException.notFound("phone number");
                    }
                    n.importFailedAt = null;
                    n.label = label != null ? label : n.label;
                    n.agentId = agentId != null ? agentId : n.agentId;
                    n.updatedAt = Instant.now();
                })));
    }

    private PhoneNumber newRow(Provider provider, IncomingNumber incoming, String label, UUID agentId) {
        var row = new PhoneNumber();
        row.providerId = provider.id;
        row.number = incoming.phoneNumber();
        row.label = label;
        row.agentId = agentId;
        row.twilioSid = incoming.sid();
        row.voice = incoming.capabilities().voice();
        row.sms = incoming.capabilities().sms();
        row.previousConfig = write(incoming.configuration());
        row.webhookOverrides = urls.overrides();
        row.updatedAt = Instant.now();
        return row;
    }

    private Uni<PhoneNumber> claim(PhoneNumber row) {
        return Panache.withTransaction(() -> numbers.persist(row))
                .onFailure(Database::isUniqueViolation).transform(e -> new PhoneNumberFailure.AlreadyImported());
    }

    private Uni<Void> release(PhoneNumber claimed) {
        return Panache.withTransaction(() -> numbers.findById(claimed.id)
                .chain(n -> n == null ? Uni.createFrom().voidItem() : numbers.delete(n)));
    }

    /** Where an imported number sends its calls, messages and call status: here. */
    private NumberConfiguration ourConfiguration() {
        return NumberConfiguration.unchanged()
                .withVoiceUrl(urls.voiceInbound(), "POST")
                .withSmsUrl(urls.messagingInbound(), "POST")
                .withStatusCallback(urls.voiceStatus(), "POST")
                // An application or a trunk on the number would take its calls away from the voice URL.
                .withVoiceApplicationSid(NumberConfiguration.CLEAR)
                .withSmsApplicationSid(NumberConfiguration.CLEAR)
                .withTrunkSid(NumberConfiguration.CLEAR);
    }

    private Uni<Void> notImportedYet(String number) {
        return Panache.withSession(() -> numbers.existsInAnyOrganization(number)).invoke(exists -> {
            if (exists) {
                throw new PhoneNumberFailure.AlreadyImported();
            }
        }).replaceWithVoid();
    }

    private Uni<IncomingNumber> findInAccount(TwilioCredentials creds, String number) {
        return twilio.findIncomingNumber(creds, number)
                .map(found -> found.orElseThrow(PhoneNumberFailure.NotInAccount::new));
    }

    private Uni<Provider> provider(UUID id) {
        return providers.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("provider"));
    }

    private Uni<Void> agent(UUID id) {
        return agents.findById(id).onItem().ifNull().failWith(() -> ApiException.notFound("agent")).replaceWithVoid();
    }

    private Uni<Void> agentIfAny(UUID id) {
        return id == null ? Uni.createFrom().voidItem() : agent(id);
    }

    private NumberConfiguration previousConfiguration(PhoneNumber number) {
        return json.read(number.previousConfig, NumberConfiguration.class);
    }

    private String write(NumberConfiguration configuration) {
        return json.write(configuration);
    }

    private static String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field, "must be a string or null");
        }
        return node.asText();
    }

    private static UUID uuid(JsonNode node, String field) {
        String value = text(node, field);
        try {
            return value == null ? null : UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "must be an id or null");
        }
    }

    /** The error code of a number that a bulk import could not import. */
    private static String code(Throwable e) {
        if (e instanceof PhoneNumberFailure.AlreadyImported) {
            return "number_already_imported";
        }
        if (e instanceof TwilioException t) {
            return t.isUnavailable() ? "twilio_unavailable" : "twilio_rejected";
        }
        return "internal_error";
    }

    static Optional<UUID> parseId(String value, String field) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(value));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(field, "must be an id");
        }
    }
}
