package io.switchboard.twilio;

import io.switchboard.common.ApiError;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * A failed call to Twilio as the API answers it: Twilio refused (422, with Twilio's code and message, which never
 * carry a credential) or could not be reached (502 no answer or a server error, 503 rate-limited, or the client's
 * breaker open or its timeout passed). A product Twilio serves only from US1, for a provider without US1 credentials,
 * is a 422 {@code us1_credentials_required}.
 */
public class TwilioErrorMapper {

    @ServerExceptionMapper
    public Response twilio(TwilioException e) {
        return error(e, List.of()).toResponse(status(e));
    }

    @ServerExceptionMapper
    public Response breakerOpen(CircuitBreakerOpenException e) {
        return ApiError.of("twilio_unavailable", "Twilio is failing; calls to it are paused, try again soon")
                .toResponse(503);
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return ApiError.of("twilio_unavailable", "Twilio did not answer in time").toResponse(503);
    }

    /** The status of a Twilio failure, for the mappers of failures that wrap one. */
    public static int status(TwilioException e) {
        if (isRateLimited(e)) {
            return 503;
        }
        return e.isUnavailable() ? 502 : 422;
    }

    /** The body of a Twilio failure, with the details of the failure that wraps it. */
    public static ApiError error(TwilioException e, List<ApiError.FieldError> details) {
        if (e instanceof Us1CredentialsRequired) {
            return new ApiError("us1_credentials_required", e.getMessage(), details);
        }
        if (isRateLimited(e)) {
            return new ApiError("twilio_rate_limited", "Twilio is rate-limiting this account; try again", details);
        }
        if (e.isUnavailable()) {
            return new ApiError("twilio_unavailable", "Twilio could not be reached or failed", details);
        }
        if (e.isAuthenticationFailure()) {
            return new ApiError("twilio_auth_failed", "Twilio refused the credentials", details);
        }
        return new ApiError("twilio_rejected", "Twilio refused the request: " + e.getMessage(), details);
    }

    private static boolean isRateLimited(TwilioException e) {
        return e.httpStatus() == 429 || Integer.valueOf(20429).equals(e.code());
    }
}
