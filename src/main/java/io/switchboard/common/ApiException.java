package io.switchboard.common;

import java.util.List;

/**
 * A failure the API reports to its caller: an HTTP status, a stable error code and a message safe to show.
 * The message must never contain a secret; it is returned verbatim.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final List<ApiError.FieldError> details;

    public ApiException(int status, String code, String message, List<ApiError.FieldError> details) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.details = List.copyOf(details);
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, List.of());
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(400, "invalid_request", field + ": " + message,
                List.of(new ApiError.FieldError(field, message)));
    }

    public static ApiException invalid(List<ApiError.FieldError> details) {
        var summary = details.stream().map(d -> d.field() + ": " + d.message()).reduce((a, b) -> a + "; " + b)
                .orElse("invalid request");
        return new ApiException(400, "invalid_request", summary, details);
    }

    public static ApiException notFound(String what) {
        return new ApiException(404, "not_found", what + " not found");
    }

    public static ApiException conflict(String code, String message) {
        return new ApiException(409, code, message);
    }

    public static ApiException unprocessable(String code, String message) {
        return new ApiException(422, code, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public List<ApiError.FieldError> details() {
        return details;
    }

    public ApiError toBody() {
        return new ApiError(code, getMessage(), details);
    }
}
