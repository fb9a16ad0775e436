package io.switchboard.common;

import java.util.List;

/** The error body of every management API failure: {@code {"error", "message", "details"}}. */
public record ApiError(String error, String message, List<FieldError> details) {

    /** One field that failed validation, or one item of a partial failure. */
    public record FieldError(String field, String message) {
    }

    public static ApiError of(String error, String message) {
        return new ApiError(error, message, List.of());
    }
}
