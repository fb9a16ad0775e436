package io.switchboard.number;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.switchboard.provider.ProviderCredentials;
import io.switchboard.twilio.IncomingNumber;
import io.switchboard.twilio.NumberConfiguration;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * After start-up, brings every imported number whose webhook URLs were registered with other connection overrides
 * than {@link WebhookUrls#overrides()} (or before there were any) up to date at Twilio: its voice URL, SMS URL and
 * status callback, each only while it still points at this service, so a URL the customer moved elsewhere stays
 * where they put it. One replica at a time (an advisory lock), at most
 * {@code switchboard.numbers.webhook-upgrade.per-second} numbers a second per Twilio account, each number recorded as
 * done once Twilio has it; what fails is tried again at the next start.
 */
@ApplicationScoped
public class NumberWebhookUpgrade {

    private static final Logger LOG = Logger.getLogger(NumberWebhookUpgrade.class);
    /** Accounts worked on at once; each has its own pace. */
    private static final int ACCOUNTS_AT_ONCE = 4;

    /** What one run did; {@code ran} is false when another replica was doing it. */
    public record Result(boolean ran, int updated, int unchanged, int failed) {

        static final Result SKIPPED = new Result(false, 0, 0, 0);
    }

    private enum Outcome {
        UPDATED, UNCHANGED, FAILED
    }

    private final NumberWebhookRepository repository;
    private final ProviderCredentials credentials;
    private final TwilioClient twilio;
    private final WebhookUrls urls;
    private final NumbersConfig config;
    private final ObjectMapper json;

    NumberWebhookUpgrade(NumberWebhookRepository repository, ProviderCredentials credentials, TwilioClient twilio,
            WebhookUrls urls, NumbersConfig config, ObjectMapper json) {
        this.repository = repository;
        this.credentials = credentials;
        this.twilio = twilio;
        this.urls = urls;
        this.config = config;
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.webhookUpgrade().enabled()) {
            return;
        }
        run().subscribe().with(result -> {
            if (result.ran() && result.updated() + result.unchanged() + result.failed() > 0) {
                LOG.infof("numbers' webhook URLs brought up to date at Twilio: %d updated, %d left as they were, "
                        + "%d failed (tried again at the next start)", result.updated(), result.unchanged(),
                        result.failed());
            }
        }, failure -> LOG.warnf("bringing numbers' webhook URLs up to date failed (%s); the next start tries again",
                failure.getMessage()));
    }

    /** One run over every number registered otherwise; never fails for one number. */
    public Uni<Result> run() {
        String overrides = urls.overrides();
        return repository.exclusively(() -> repository.registeredOtherwise(overrides).chain(numbers -> {
            var byAccount = new LinkedHashMap<String, List<NumberWebhookRepository.Registered>>();
            numbers.forEach(n -> byAccount.computeIfAbsent(n.accountSid(), a -> new ArrayList<>()).add(n));
            return Multi.createFrom().iterable(byAccount.values())
                    .onItem().transformToMulti(this::paced).merge(ACCOUNTS_AT_ONCE)
                    .collect().asList()
                    .map(NumberWebhookUpgrade::result);
        })).map(result -> result == null ? Result.SKIPPED : result);
    }

    /** One account's numbers, one after the other, each started no sooner than the pace allows. */
    private Multi<Outcome> paced(List<NumberWebhookRepository.Registered> numbers) {
        Duration pause = Duration.ofNanos((long) (1_000_000_000L / config.webhookUpgrade().perSecond()));
        var first = numbers.get(0);
        return Multi.createFrom().iterable(numbers).onItem().transformToUniAndConcatenate(number -> number == first
                ? upgrade(number)
                : Uni.createFrom().voidItem().onItem().delayIt().by(pause).chain(() -> upgrade(number)));
    }

    private Uni<Outcome> upgrade(NumberWebhookRepository.Registered number) {
        String overrides = urls.overrides();
        TwilioCredentials creds;
        try {
            creds = credentials.fromJoinedRow(number.row());
        } catch (RuntimeException e) {
            LOG.errorf("number %s: its provider's credentials cannot be read (%s)", number.id(), e.getMessage());
            return Uni.createFrom().item(Outcome.FAILED);
        }
        return twilio.fetchIncomingNumber(creds, number.twilioSid())
                .chain(current -> {
                    NumberConfiguration update = update(current);
                    Uni<Outcome> registered = update == null ? Uni.createFrom().item(Outcome.UNCHANGED)
                            : twilio.updateIncomingNumber(creds, number.twilioSid(), update)
                                    .replaceWith(Outcome.UPDATED);
                    return registered.call(outcome -> repository.markRegistered(number.id(), overrides)
                            .call(stillImported -> stillImported || outcome != Outcome.UPDATED
                                    ? Uni.createFrom().voidItem()
                                    : giveBack(number, creds)));
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("number %s: its webhook URLs could not be brought up to date (%s)", number.id(),
                            e.getMessage());
                    return Outcome.FAILED;
                });
    }

    /**
     * The URLs that still point here, with today's overrides; null when none needs to change. A URL the customer
     * pointed elsewhere is left alone.
     */
    private NumberConfiguration update(IncomingNumber current) {
        var now = current.configuration();
        var update = NumberConfiguration.unchanged();
        boolean changed = false;
        if (stale(WebhookEndpoint.VOICE_INBOUND, now.voiceUrl(), urls.voiceInbound())) {
            update = update.withVoiceUrl(urls.voiceInbound(), null);
            changed = true;
        }
        if (stale(WebhookEndpoint.MESSAGING_INBOUND, now.smsUrl(), urls.messagingInbound())) {
            update = update.withSmsUrl(urls.messagingInbound(), null);
            changed = true;
        }
        if (stale(WebhookEndpoint.VOICE_STATUS, now.statusCallback(), urls.voiceStatus())) {
            update = update.withStatusCallback(urls.voiceStatus(), null);
            changed = true;
        }
        return changed ? update : null;
    }

    private boolean stale(WebhookEndpoint endpoint, String registered, String wanted) {
        return urls.pointsAt(endpoint, registered) && !registered.equals(wanted);
    }

    /**
     * The number was deleted here while its URLs were being updated: the delete restored its earlier configuration,
     * which the update may have overwritten, so it is restored once more.
     */
    private Uni<Void> giveBack(NumberWebhookRepository.Registered number, TwilioCredentials creds) {
        NumberConfiguration previous;
        try {
            previous = json.readValue(number.previousConfig(), NumberConfiguration.class);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(new IllegalStateException("stored previous configuration is not JSON", e));
        }
        LOG.infof("number %s was deleted while its webhook URLs were updated; restoring its earlier configuration",
                number.id());
        return twilio.updateIncomingNumber(creds, number.twilioSid(), previous).replaceWithVoid();
    }

    private static Result result(List<Outcome> outcomes) {
        Map<Outcome, Integer> counts = new LinkedHashMap<>();
        outcomes.forEach(o -> counts.merge(o, 1, Integer::sum));
        return new Result(true, counts.getOrDefault(Outcome.UPDATED, 0), counts.getOrDefault(Outcome.UNCHANGED, 0),
                counts.getOrDefault(Outcome.FAILED, 0));
    }
}
