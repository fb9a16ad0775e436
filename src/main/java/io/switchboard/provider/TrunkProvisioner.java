package io.switchboard.provider;

import io.smallrye.mutiny.Uni;
import io.switchboard.twilio.TwilioClient;
import io.switchboard.twilio.TwilioCredentials;
import io.switchboard.twilio.TwilioRegion;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jboss.logging.Logger;

/**
 * Provisions the Elastic SIP trunk of a provider in the customer's account: a trunk with a unique domain, a credential
 * list with one generated credential, the list attached to the trunk. A provisioning that fails halfway removes what it
 * created and reports the step that failed.
 */
@ApplicationScoped
public class TrunkProvisioner {

    private static final Logger LOG = Logger.getLogger(TrunkProvisioner.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /** What was created; the password is the only copy and must be sealed before it is stored. */
    public record Trunk(String trunkSid, String domainName, String terminationUri, String credentialListSid,
            String sipUsername, String sipPassword) {
        @Override
        public String toString() {
            return "Trunk[trunkSid=" + trunkSid + ", credentialListSid=" + credentialListSid + "]";
        }
    }

    /** A provisioning step failed; what came before it was removed again. */
    public static final class StepFailed extends RuntimeException {
        private final String step;

        StepFailed(String step, Throwable cause) {
            super("provisioning failed at step " + step + ": " + cause.getMessage(), cause, false, false);
            this.step = step;
        }

        public String step() {
            return step;
        }
    }

    private final TwilioClient twilio;

    public TrunkProvisioner(TwilioClient twilio) {
        this.twilio = twilio;
    }

    public Uni<Trunk> provision(TwilioCredentials creds, String providerName) {
        String prefix = "switchboard-" + randomHex(8);
        String domain = prefix + ".pstn.twilio.com";
        String username = "sb-" + randomHex(6);
        String password = password(32);
        String label = ("Switchboard " + providerName).substring(0, Math.min(64, 12 + providerName.length()));
        var created = new String[2];
        return twilio.createTrunk(creds, label, domain)
                .onFailure().transform(e -> new StepFailed("trunk", e))
                .invoke(trunk -> created[0] = trunk.sid())
                .chain(trunk -> twilio.createCredentialList(creds, label)
                        .onFailure().transform(e -> new StepFailed("credentialList", e)))
                .invoke(list -> created[1] = list.sid())
                .chain(list -> twilio.createCredential(creds, list.sid(), username, password)
                        .onFailure().transform(e -> new StepFailed("credential", e)))
                .chain(credential -> twilio.attachCredentialList(creds, created[0], created[1])
                        .onFailure().transform(e -> new StepFailed("attachCredentialList", e)))
                .map(attached -> new Trunk(created[0], domain, terminationUri(prefix, creds), created[1], username,
                        password))
                .onFailure().call(failure -> remove(creds, created[0], created[1])
                        .onFailure().recoverWithItem(cleanup -> {
                            LOG.warnf("could not remove the partly provisioned trunk %s / list %s of %s: %s",
                                    created[0], created[1], creds.accountSid(), cleanup.getMessage());
                            return null;
                        }));
    }

    /** Removes the trunk and the credential list; either may be null or already gone. */
    public Uni<Void> remove(TwilioCredentials creds, String trunkSid, String credentialListSid) {
        Uni<Void> trunk = trunkSid == null ? Uni.createFrom().voidItem() : twilio.deleteTrunk(creds, trunkSid);
        return trunk.chain(() -> credentialListSid == null ? Uni.createFrom().voidItem()
                : twilio.deleteCredentialList(creds, credentialListSid));
    }

    /**
     * Outside us1 the trunk is reached through the region's edge, as Twilio's localized termination URIs are named
     * ({@code <name>.pstn.<edge>.twilio.com}, e.g. {@code .pstn.dublin.twilio.com}; see
     * https://www.twilio.com/docs/global-infrastructure/localized-uris/termination). The domain itself is global.
     */
    static String terminationUri(String prefix, TwilioCredentials creds) {
        return creds.region() == TwilioRegion.US1 ? prefix + ".pstn.twilio.com"
                : prefix + ".pstn." + creds.edge() + ".twilio.com";
    }

    /** Twilio wants 12+ characters with upper and lower case and a digit; this draws until it has all three. */
    static String password(int length) {
        while (true) {
            var sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
            }
            String candidate = sb.toString();
            if (candidate.chars().anyMatch(Character::isUpperCase) && candidate.chars().anyMatch(Character::isLowerCase)
                    && candidate.chars().anyMatch(Character::isDigit)) {
                return candidate;
            }
        }
    }

    private static String randomHex(int bytes) {
        byte[] raw = new byte[bytes];
        RANDOM.nextBytes(raw);
        return HexFormat.of().formatHex(raw);
    }
}
