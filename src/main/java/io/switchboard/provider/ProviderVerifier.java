package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.provider.ProviderView.Check;
import io.switchboard.twilio.IncomingNumberScan;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The checks behind a provider's verification status: its credentials work, its trunk is there with its credential
 * list, every imported number is still in the account and still points at this service, and its webhooks can be
 * verified. Reads only; the caller stores the result.
 */
@ApplicationScoped
public class ProviderVerifier {

    public static final String OK = "ok";
    public static final String WARNING = "warning";
    public static final String FAILED = "failed";

    /** The check of a provider's US1 credentials, outside us1. */
    static final String US1_CREDENTIALS = "us1_credentials";

    private final TwilioClient twilio;
    private final IncomingNumberScan scan;
    private final WebhookUrls urls;

    public ProviderVerifier(TwilioClient twilio, IncomingNumberScan scan, WebhookUrls urls) {
        this.twilio = twilio;
        this.scan = scan;
        this.urls = urls;
    }

    /** @throws TwilioException (as a failed Uni) when Twilio cannot be reached: no verdict at all, rather than a wrong one */
    public Uni<List<Check>> verify(Provider provider, TwilioCredentials creds, List<String> numbers) {
        return credentials(creds).chain(credentials -> {
            if (!credentials.status().equals(OK)) {
                return Uni.createFrom().item(List.of(credentials, signatures(creds)));
            }
            return us1(creds).chain(us1 -> trunk(provider, creds).chain(trunk -> numbers(creds, numbers)
                    .map(numberCheck -> {
                        var checks = new ArrayList<Check>(List.of(credentials, trunk, numberCheck, signatures(creds)));
                        us1.ifPresent(check -> checks.add(1, check));
                        return List.copyOf(checks);
                    })));
        });
    }

    /** Whether US1 accepts these US1 credentials. */
    public Uni<Boolean> us1Accepted(TwilioCredentials us1) {
        return twilio.verifyCredentials(us1).replaceWith(true)
                .onFailure(TwilioProblems::isAuthFailure).recoverWithItem(false);
    }

    /** Whether the US1 credentials were refused; they are not the provider's own, so the provider still works. */
    static boolean us1Refused(List<Check> checks) {
        return checks.stream().anyMatch(c -> c.name().equals(US1_CREDENTIALS) && c.status().equals(FAILED));
    }

    /**
     * Outside us1: whether US1 accepts the provider's US1 credentials (regional credentials are valid only in their
     * region), or, where Twilio serves a product this service uses only from US1 and there are none, a warning that
     * it is unavailable. Nothing in us1, or in a region that lacks nothing.
     */
    private Uni<Optional<Check>> us1(TwilioCredentials creds) {
        var us1 = creds.us1Credentials();
        if (us1.isPresent()) {
            return us1Accepted(us1.get()).map(accepted -> Optional.of(accepted
                    ? check(US1_CREDENTIALS, OK, "US1 accepted the US1 credentials")
                    : check(US1_CREDENTIALS, FAILED, "US1 refused the US1 credentials; what Twilio serves only "
                            + "from US1 is unavailable until they are replaced")));
        }
        if (creds.region().needsUs1Credentials()) {
            return Uni.createFrom().item(Optional.of(check(US1_CREDENTIALS, WARNING, "no US1 credentials: Twilio "
                    + "serves messaging for " + creds.region().id() + " only from US1, where these credentials are "
                    + "refused; SMS is unavailable until us1AuthToken or a US1 API key is added")));
        }
        return Uni.createFrom().item(Optional.empty());
    }

    /**
     * The provider's status is its worst check's: {@code failed} when any check failed (credentials refused, the trunk
     * or imported numbers gone from the account, US1 credentials refused), {@code warning} when any warns, else
     * {@code verified}. So a check never reads worse than the provider, and {@code provider.verification_failed} is
     * recorded whenever one fails.
     */
    public static String overall(List<Check> checks) {
        if (checks.stream().anyMatch(c -> c.status().equals(FAILED))) {
            return FAILED;
        }
        return checks.stream().allMatch(c -> c.status().equals(OK)) ? "verified" : WARNING;
    }

    /** Whether Twilio refused the provider's own credentials: nothing else about it can be checked then. */
    static boolean credentialsRefused(List<Check> checks) {
        return checks.stream().anyMatch(c -> c.name().equals("credentials") && !c.status().equals(OK));
    }

    private Uni<Check> credentials(TwilioCredentials creds) {
        Uni<Void> rest = twilio.verifyCredentials(creds);
        if (creds.usesApiKey() && creds.authToken() != null) {
            // The API key makes the REST calls; the auth token must work too, for webhook signatures.
            var tokenOnly = new TwilioCredentials(creds.accountSid(), creds.authToken(), null, null, creds.region(),
                    creds.edge());
            rest = rest.chain(() -> twilio.verifyCredentials(tokenOnly));
        }
        return rest.map(ok -> check("credentials", OK, "Twilio accepted the credentials"))
                .onFailure(TwilioProblems::isAuthFailure)
                .recoverWithItem(e -> check("credentials", FAILED, "Twilio refused the credentials"));
    }

    private Uni<Check> trunk(Provider provider, TwilioCredentials creds) {
        if (provider.trunkSid == null) {
            return Uni.createFrom().item(check("trunk", WARNING, "no SIP trunk was provisioned"));
        }
        return twilio.fetchTrunk(creds, provider.trunkSid)
                .chain(trunk -> twilio.listTrunkCredentialLists(creds, provider.trunkSid))
                .map(lists -> lists.stream().anyMatch(l -> l.sid().equals(provider.credentialListSid))
                        ? check("trunk", OK, "trunk " + provider.trunkSid + " has its credential list")
                        : check("trunk", WARNING, "trunk " + provider.trunkSid + " lost credential list "
                                + provider.credentialListSid))
                .onFailure(TwilioProblems::isNotFound)
                .recoverWithItem(
                        e -> check("trunk", FAILED, "trunk " + provider.trunkSid + " is gone from the account"));
    }

    /** The account's numbers a page at a time, each looked up once among the imported ones: linear in both. */
    private Uni<Check> numbers(TwilioCredentials creds, List<String> numbers) {
        if (numbers.isEmpty()) {
            return Uni.createFrom().item(check("numbers", OK, "no numbers imported"));
        }
        record Seen(Set<String> missing, List<String> redirected) {
        }
        return scan.fold(creds, new Seen(new LinkedHashSet<>(numbers), new ArrayList<>()), (seen, number) -> {
            if (seen.missing().remove(number.phoneNumber())
                    && !urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, number.configuration().voiceUrl())) {
                seen.redirected().add(number.phoneNumber());
            }
        }).map(seen -> {
            var missing = List.copyOf(seen.missing());
            var redirected = seen.redirected();
            if (!missing.isEmpty()) {
                return check("numbers", FAILED, missing.size() + " imported number(s) no longer in the account: "
                        + String.join(", ", missing.stream().map(PhoneNumbers::redact).toList()));
            }
            if (!redirected.isEmpty()) {
                return check("numbers", WARNING, redirected.size() + " number(s) no longer point at this service: "
                        + String.join(", ", redirected.stream().map(PhoneNumbers::redact).toList()));
            }
            return check("numbers", OK, numbers.size() + " imported number(s) present and pointing here");
        });
    }

    private static Check signatures(TwilioCredentials creds) {
        return creds.authToken() != null
                ? check("webhook_signatures", OK, "webhooks are verified with the auth token")
                : check("webhook_signatures", WARNING,
                        "connected with an API key only: Twilio signs webhooks with the auth token, so this "
                                + "account's webhooks cannot be verified and are refused; add the auth token");
    }

    private static Check check(String name, String status, String message) {
        return new Check(name, status, message, Instant.now());
    }
}
