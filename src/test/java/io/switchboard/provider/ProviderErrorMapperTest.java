package io.switchboard.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.support.ErrorBody;
import io.switchboard.support.ErrorBody.Detail;
import io.switchboard.twilio.TwilioException;
import io.switchboard.twilio.TwilioException.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderErrorMapperTest {

    private static final String FIRST = "+14155550100";
    private static final String SECOND = "+14155550101";

    private final ProviderErrorMapper mapper = new ProviderErrorMapper();

    @Test
    void aSecondProviderForTheAccountIsAConflict() {
        assertThat(ErrorBody.of(mapper.alreadyConnected(new ProviderFailure.AlreadyConnected()))).isEqualTo(
                new ErrorBody(409, "provider_exists",
                        "this organization already has a provider for that account in that region", List.of()));
    }

    @Test
    void refusedCredentialsNameTheSecretThatWasRefused() {
        var body = ErrorBody.of(mapper.credentialsRefused(new ProviderFailure.CredentialsRefused("apiKeySecret")));
        assertThat(body).isEqualTo(new ErrorBody(422, "twilio_auth_failed", "Twilio refused the credentials",
                List.of(new Detail("apiKeySecret", "refused by Twilio"))));
    }

    @Test
    void refusedNewCredentialsAreA422WithoutDetails() {
        var body = ErrorBody.of(mapper.newCredentialsRefused(new ProviderFailure.NewCredentialsRefused()));
        assertThat(body).isEqualTo(new ErrorBody(422, "twilio_auth_failed", "Twilio refused the new credentials",
                List.of()));
    }

    @Test
    void unreachableNumbersAreEachNamedInTheBodyButNotInTheLogs() {
        var failure = new ProviderFailure.NumbersUnreachable(List.of(FIRST, SECOND));
        assertThat(ErrorBody.of(mapper.numbersUnreachable(failure))).isEqualTo(new ErrorBody(422,
                "numbers_unreachable",
                "2 imported number(s) are not reachable with the new credentials; the old credentials stay",
                List.of(new Detail(FIRST, "not in the account reachable with the new credentials"),
                        new Detail(SECOND, "not in the account reachable with the new credentials"))));
        assertThat(failure.getMessage()).doesNotContain(FIRST).doesNotContain(SECOND);
    }

    @Test
    void aProviderWithNumbersCannotBeDeleted() {
        assertThat(ErrorBody.of(mapper.stillHasNumbers(new ProviderFailure.StillHasNumbers(3)))).isEqualTo(
                new ErrorBody(409, "provider_in_use", "provider has 3 imported phone number(s); delete them first",
                        List.of()));
    }

    @Test
    void aCleanupTwilioRefusedIsA502NamingWhatIsLeftInTheAccount() {
        var cause = new TwilioException(Kind.PERMANENT, 403, 20403, "Permission denied (20403)", null);
        var body = ErrorBody.of(mapper.cleanupRefused(new ProviderFailure.CleanupRefused("TK1", "CL1", cause)));
        assertThat(body).isEqualTo(new ErrorBody(502, "twilio_cleanup_failed",
                "could not remove trunk TK1 and credential list CL1 from the Twilio account (Permission denied "
                        + "(20403)); retry, or delete with ?force=true to keep them in Twilio",
                List.of()));
    }

    @Test
    void aProvisioningStepTwilioRefusedTakesTwiliosStatusAndNamesTheStep() {
        var cause = new TwilioException(Kind.PERMANENT, 400, 21999, "bad request (21999)", null);
        var body = ErrorBody.of(mapper.provisioning(new TrunkProvisioner.StepFailed("credentialList", cause)));
        assertThat(body).isEqualTo(new ErrorBody(422, "provisioning_failed",
                "provisioning the SIP trunk failed at step credentialList; nothing was kept: Twilio refused the "
                        + "request: bad request (21999)",
                List.of(new Detail("provisioning.credentialList", "bad request (21999)"))));

        var down = new TwilioException(Kind.AMBIGUOUS, 503, 20503, "Service Unavailable", null);
        assertThat(ErrorBody.of(mapper.provisioning(new TrunkProvisioner.StepFailed("trunk", down))))
                .extracting(ErrorBody::status, ErrorBody::error).containsExactly(502, "provisioning_failed");
        var limited = new TwilioException(Kind.RETRYABLE, 429, 20429, "Too Many Requests", null);
        assertThat(ErrorBody.of(mapper.provisioning(new TrunkProvisioner.StepFailed("trunk", limited))).status())
                .isEqualTo(503);
    }

    @Test
    void aProvisioningStepThatFailedOtherwiseIsA503() {
        var body = ErrorBody.of(mapper.provisioning(new TrunkProvisioner.StepFailed("attachCredentialList",
                new IllegalStateException("no answer"))));
        assertThat(body).isEqualTo(new ErrorBody(503, "provisioning_failed",
                "provisioning the SIP trunk failed at step attachCredentialList; nothing was kept",
                List.of(new Detail("provisioning.attachCredentialList", "no answer"))));
    }
}
