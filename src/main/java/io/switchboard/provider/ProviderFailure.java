package io.switchboard.provider;

import java.util.List;

/**
 * What can go wrong with a provider, in the domain's words; {@link ProviderErrorMapper} chooses the HTTP answer.
 * Messages name no secret: they reach the logs.
 */
public abstract sealed class ProviderFailure extends RuntimeException {

    private ProviderFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The organization already has a provider for that account in that region. */
    public static final class AlreadyConnected extends ProviderFailure {
        AlreadyConnected() {
            super("a provider for that account and region exists", null);
        }
    }

    /** Twilio refused the credentials of a new provider; {@code field} names the secret it refused. */
    public static final class CredentialsRefused extends ProviderFailure {
        private final String field;

        CredentialsRefused(String field) {
            super("Twilio refused the credentials", null);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    /** Twilio refused the credentials that were to replace a provider's; the old ones stay. */
    public static final class NewCredentialsRefused extends ProviderFailure {
        NewCredentialsRefused() {
            super("Twilio refused the new credentials", null);
        }
    }

    /** Imported numbers that the account reachable with the new credentials does not have; the old ones stay. */
    public static final class NumbersUnreachable extends ProviderFailure {
        private final List<String> numbers;

        NumbersUnreachable(List<String> numbers) {
            super(numbers.size() + " imported number(s) unreachable with the new credentials", null);
            this.numbers = List.copyOf(numbers);
        }

        /** E.164. */
        public List<String> numbers() {
            return numbers;
        }
    }

    /** Numbers are still imported under the provider, so it cannot be deleted. */
    public static final class StillHasNumbers extends ProviderFailure {
        private final long count;

        StillHasNumbers(long count) {
            super("provider has " + count + " imported phone number(s)", null);
            this.count = count;
        }

        public long count() {
            return count;
        }
    }

    /** Twilio did not remove the provider's trunk and credential list, so the provider is kept. */
    public static final class CleanupRefused extends ProviderFailure {
        private final String trunkSid;
        private final String credentialListSid;

        CleanupRefused(String trunkSid, String credentialListSid, Throwable cause) {
            super("could not remove trunk " + trunkSid + " and credential list " + credentialListSid + ": "
                    + cause.getMessage(), cause);
            this.trunkSid = trunkSid;
            this.credentialListSid = credentialListSid;
        }

        public String trunkSid() {
            return trunkSid;
        }

        public String credentialListSid() {
            return credentialListSid;
        }
    }
}
