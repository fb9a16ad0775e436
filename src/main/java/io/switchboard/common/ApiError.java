package io.switchboard.common;

import io.quarkus.runtime.annotations.RegisterForReflection;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * The error body of every management API failure: {@code {"error", "message", "details"}}. Registered for the native
 * image's reflection (with {@link FieldError}), since exception mappers and filters return it as a plain entity that
 * no REST method's signature names.
 */
@RegisterForReflection
public record ApiError(String error, String message, List<FieldError> details) {

    /** One field that failed validation, or one item of a partial failure. */
    public record FieldError(String field, String message) {
    }

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, List.of());
    }

    /** The HTTP answer with this body, for the exception mappers of every package. */
    public Response toResponse(int status) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(this).build();
    }
}
