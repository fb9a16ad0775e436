package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.switchboard.common.PhoneNumbers;
import io.switchboard.provider.ProviderView.Check;
import io.switchboard.twilio.IncomingNumber;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioException;
import io.switchboard.twilio.WebhookEndpoint;
import io.switchboard.twilio.WebhookUrls;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    private final TwilioClient twilio;
    private final WebhookUrls urls;

    public ProviderVerifier(TwilioClient twilio, WebhookUrls urls) {
        this.twilio = twilio;
        this.urls = urls;
    }

    /** @throws TwilioException (as a failed Uni) when Twilio cannot be reached: no verdict at all, rather than a wrong one */
    public Uni<List<Check>> verify(Provider provider, TwilioCredentials creds, List<String> numbers) {
        return credentials(creds).chain(credentials -> {
            if (!credentials.status().equals(OK)) {
                return Uni.createFrom().item(List.of(credentials, signatures(creds)));
            }
            return trunk(provider, creds).chain(trunk -> numbers(creds, numbers).map(numberCheck -> List.of(
                    credentials, trunk, numberCheck, signatures(creds))));
        });
    }

    /** failed if the credentials do not work, warning if anything else is amiss, else verified. */
    public static String overall(List<Check> checks) {
        if (checks.stream().anyMatch(c -> c.name().equals("credentials") && !c.status().equals(OK))) {
            return FAILED;
        }
        return checks.stream().allMatch(c -> c.status().equals(OK)) ? "verified" : WARNING;
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

    private Uni<Check> numbers(TwilioCredentials creds, List<String> numbers) {
        if (numbers.isEmpty()) {
            return Uni.createFrom().item(check("numbers", OK, "no numbers imported"));
        }
        return twilio.listIncomingNumbers(creds).map(inAccount -> {
            var missing = new ArrayList<String>();
            var redirected = new ArrayList<String>();
            for (var number : numbers) {
                Optional<IncomingNumber> found = inAccount.stream()
                        .filter(n -> n.phoneNumber().equals(number)).findFirst();
                if (found.isEmpty()) {
                    missing.add(number);
                } else if (!urls.pointsAt(WebhookEndpoint.VOICE_INBOUND, found.get().configuration().voiceUrl())) {
                    redirected.add(number);
                }
            }
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
