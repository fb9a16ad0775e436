package io.switchboard.provider;

import io.switchboard.common.ApiError;
import io.switchboard.twilio.TwilioErrorMapper;
import io.switchboard.twilio.TwilioException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A {@link ProviderFailure} or a failed trunk provisioning as the API answers it. */
public class ProviderErrorMapper {

    @ServerExceptionMapper
    public Response alreadyConnected(ProviderFailure.AlreadyConnected e) {
        return ApiError.of("provider_exists",
                "this organization already has a provider for that account in that region").toResponse(409);
    }

    @ServerExceptionMapper
    public Response credentialsRefused(ProviderFailure.CredentialsRefused e) {
        return new ApiError("twilio_auth_failed", "Twilio refused the credentials",
                List.of(new ApiError.FieldError(e.field(), "refused by Twilio"))).toResponse(422);
    }

    @ServerExceptionMapper
    public Response newCredentialsRefused(ProviderFailure.NewCredentialsRefused e) {
        return ApiError.of("twilio_auth_failed", "Twilio refused the new credentials").toResponse(422);
    }

    @ServerExceptionMapper
    public Response numbersUnreachable(ProviderFailure.NumbersUnreachable e) {
        return new ApiError("numbers_unreachable", e.numbers().size() + " imported number(s) are not reachable with "
                + "the new credentials; the old credentials stay",
                e.numbers().stream()
                        .map(n -> new ApiError.FieldError(n, "not in the account reachable with the new credentials"))
                        .toList())
                .toResponse(422);
    }

    @ServerExceptionMapper
    public Response stillHasNumbers(ProviderFailure.StillHasNumbers e) {
        return ApiError.of("provider_in_use", "provider has " + e.count()
                + " imported phone number(s); delete them first").toResponse(409);
    }

    @ServerExceptionMapper
    public Response cleanupRefused(ProviderFailure.CleanupRefused e) {
        return ApiError.of("twilio_cleanup_failed", "could not remove trunk " + e.trunkSid() + " and credential list "
                + e.credentialListSid() + " from the Twilio account (" + e.getCause().getMessage() + "); retry, or "
                + "delete with ?force=true to keep them in Twilio").toResponse(502);
    }

    /** Nothing was kept; a step that Twilio failed answers with Twilio's status, any other with 503. */
    @ServerExceptionMapper
    public Response provisioning(TrunkProvisioner.StepFailed e) {
        var details = List.of(new ApiError.FieldError("provisioning." + e.step(),
                e.getCause() == null ? "failed" : e.getCause().getMessage()));
        String message = "provisioning the SIP trunk failed at step " + e.step() + "; nothing was kept";
        if (e.getCause() instanceof TwilioException t) {
            var twilio = TwilioErrorMapper.error(t, details);
            return new ApiError("provisioning_failed", message + ": " + twilio.message(), details)
                    .toResponse(TwilioErrorMapper.status(t));
        }
        return new ApiError("provisioning_failed", message, details).toResponse(503);
    }
}
