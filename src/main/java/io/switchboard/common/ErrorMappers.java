package io.switchboard.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.switchboard.provider.TrunkProvisioner;
import io.switchboard.twilio.TwilioException;
import io.vertx.pgclient.PgException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.hibernate.HibernateException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns each kind of failure into the contract's error body. No mapper leaks a class name or a stack trace. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return json(e.status(), e.toBody());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        var details = e.getConstraintViolations().stream()
                .map(v -> new ApiError.FieldError(fieldName(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(ApiError.FieldError::field))
                .collect(Collectors.toList());
        return json(400, ApiException.invalid(details).toBody());
    }

    /** Takes precedence over the JSON provider's own mapper, whose body does not follow the contract. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e) {
        String field = path(e);
        if (field.isEmpty()) {
            return json(400, ApiError.of("malformed_request", "the request body has the wrong shape"));
        }
        String message = e instanceof UnrecognizedPropertyException ? "unknown field"
                : e instanceof InvalidFormatException ? "has the wrong format" : "has the wrong type";
        return json(400, ApiException.badRequest(field, message).toBody());
    }

    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response malformedJson(JsonProcessingException e) {
        return json(400, ApiError.of("malformed_request", "the request body is not valid JSON"));
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf("request failed with %d: %s", status, e.getClass().getSimpleName());
        }
        String code = switch (status) {
            case 400 -> "malformed_request";
            case 401 -> "unauthorized";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 406 -> "not_acceptable";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> status >= 500 ? "internal_error" : "request_failed";
        };
        String message = status >= 500 ? "internal error" : e.getResponse().getStatusInfo().getReasonPhrase();
        return json(status, ApiError.of(code, message));
    }

    /**
     * Twilio refused (422, with Twilio's code and message, which never carry a credential) or could not be reached
     * (502 no answer or a server error, 503 rate-limited).
     */
    @ServerExceptionMapper
    public Response twilio(TwilioException e) {
        return json(twilioStatus(e), twilioError(e, List.of()));
    }

    @ServerExceptionMapper
    public Response provisioning(TrunkProvisioner.StepFailed e) {
        var details = List.of(new ApiError.FieldError("provisioning." + e.step(),
                e.getCause() == null ? "failed" : e.getCause().getMessage()));
        if (e.getCause() instanceof TwilioException t) {
            var body = twilioError(t, details);
            return json(twilioStatus(t), new ApiError("provisioning_failed",
                    "provisioning the SIP trunk failed at step " + e.step() + "; nothing was kept: " + body.message(),
                    details));
        }
        return json(503, new ApiError("provisioning_failed", "provisioning the SIP trunk failed at step "
                + e.step() + "; nothing was kept", details));
    }

    @ServerExceptionMapper
    public Response breakerOpen(CircuitBreakerOpenException e) {
        return json(503, ApiError.of("twilio_unavailable", "Twilio is failing; calls to it are paused, try again soon"));
    }

    @ServerExceptionMapper
    public Response timeout(TimeoutException e) {
        return json(503, ApiError.of("twilio_unavailable", "Twilio did not answer in time"));
    }

    private static int twilioStatus(TwilioException e) {
        if (e.httpStatus() == 429 || Integer.valueOf(20429).equals(e.code())) {
            return 503;
        }
        return e.isUnavailable() ? 502 : 422;
    }

    private static ApiError twilioError(TwilioException e, List<ApiError.FieldError> details) {
        if (e.httpStatus() == 429 || Integer.valueOf(20429).equals(e.code())) {
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

    /** Hibernate wraps what PostgreSQL said; without such an answer the database could not be reached. */
    @ServerExceptionMapper
    public Response database(HibernateException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PgException pg) {
                return database(pg);
            }
        }
        LOG.errorf("database failure: %s", e.getClass().getSimpleName());
        return json(503, ApiError.of("database_unavailable", "the database is unavailable, try again"));
    }

    /**
     * PostgreSQL answered with an error: a constraint that a racing request won is a conflict, a database that is
     * going away or overloaded is unavailable, anything else is our fault and says nothing about the statement.
     */
    @ServerExceptionMapper
    public Response database(PgException e) {
        String state = e.getSqlState() == null ? "" : e.getSqlState();
        if (state.startsWith("23")) {
            return json(409, ApiError.of("conflict", "the request conflicts with the current state; reload and retry"));
        }
        if (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")) {
            LOG.errorf("database unavailable: SQLSTATE %s", state);
            return json(503, ApiError.of("database_unavailable", "the database is unavailable, try again"));
        }
        LOG.errorf("database error: SQLSTATE %s", state);
        return json(500, ApiError.of("internal_error", "internal error"));
    }

    private static String path(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    /** "create.request.name" (method, parameter, field) becomes "name". */
    static String fieldName(String propertyPath) {
        List<String> parts = List.of(propertyPath.split("\\."));
        return parts.size() > 2 ? String.join(".", parts.subList(2, parts.size())) : parts.get(parts.size() - 1);
    }

    static Response json(int status, ApiError body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
    }
}
