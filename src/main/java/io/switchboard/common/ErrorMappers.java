package io.switchboard.common;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The contract's error body for what the framework and the API itself refuse: an {@link ApiException}, bean
 * validation, a body that is not JSON or has the wrong shape, a JAX-RS answer. Each feature maps its own failures
 * beside them ({@code twilio}, {@code db}, {@code provider}, ...). No mapper leaks a class name or a stack trace.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return e.toBody().toResponse(e.status());
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        var details = e.getConstraintViolations().stream()
                .map(v -> new ApiError.FieldError(fieldName(v.getPropertyPath().toString()), v.getMessage()))
                .sorted(java.util.Comparator.comparing(ApiError.FieldError::field))
                .collect(Collectors.toList());
        return ApiException.invalid(details).toBody().toResponse(400);
    }

    /** Takes precedence over the JSON provider's own mapper, whose body does not follow the contract. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response mismatchedJson(MismatchedInputException e) {
        String field = path(e);
        if (field.isEmpty()) {
            return ApiError.of("malformed_request", "the request body has the wrong shape").toResponse(400);
        }
        String message = e instanceof UnrecognizedPropertyException ? "unknown field"
                : e instanceof StrictJson.NulCharacter ? "must not contain the NUL character (U+0000)"
                        : e instanceof InvalidFormatException ? "has the wrong format" : "has the wrong type";
        return ApiException.badRequest(field, message).toBody().toResponse(400);
    }

    /** Not JSON, or JSON that names a field twice: then which one, since the two values cannot both be meant. */
    @ServerExceptionMapper(priority = Priorities.USER - 100)
    public Response malformedJson(JsonProcessingException e) {
        return StrictJson.duplicateField(e).map(ErrorMappers::duplicated)
                .orElseGet(() -> ApiError.of("malformed_request", "the request body is not valid JSON")
                        .toResponse(400));
    }

    private static Response duplicated(String field) {
        return ApiException.badRequest(field, "is given more than once").toBody().toResponse(400);
    }

    /** The JSON provider answers a body it could not parse (a field given twice, too) with a 400 of its own. */
    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        var duplicate = status == 400 ? StrictJson.duplicateField(e.getCause()) : Optional.<String>empty();
        if (duplicate.isPresent()) {
            return duplicated(duplicate.get());
        }
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
        return ApiError.of(code, message).toResponse(status);
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
}
