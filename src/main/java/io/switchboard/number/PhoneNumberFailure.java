package io.switchboard.number;

/**
 * What can go wrong with a phone number, in the domain's words; {@link PhoneNumberErrorMapper} chooses the HTTP
 * answer. Messages carry no full phone number: they reach the logs.
 */
public abstract sealed class PhoneNumberFailure extends RuntimeException {

    private PhoneNumberFailure(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** The provider's Twilio account has no such number. */
    public static final class NotInAccount extends PhoneNumberFailure {
        NotInAccount() {
            super("the number is not in the provider's Twilio account", null);
        }
    }

    /** An organization, this one or another, has imported the number already. */
    public static final class AlreadyImported extends PhoneNumberFailure {
        AlreadyImported() {
            super("the number is already imported", null);
        }
    }

    /** The number is assigned to an agent, so it cannot be deleted. */
    public static final class Assigned extends PhoneNumberFailure {
        Assigned() {
            super("the number is assigned to an agent", null);
        }
    }

    /** The number was assigned while Twilio was giving it back; it stays imported and points here again. */
    public static final class AssignedDuringDelete extends PhoneNumberFailure {
        AssignedDuringDelete() {
            super("the number was assigned to an agent while it was being deleted", null);
        }
    }

    /** Twilio did not take back the number's previous configuration, so the number stays imported. */
    public static final class RestoreRefused extends PhoneNumberFailure {
        RestoreRefused(Throwable cause) {
            super("could not restore the number's previous configuration: " + cause.getMessage(), cause);
        }
    }
}
