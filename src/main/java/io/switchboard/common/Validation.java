package io.switchboard.common;

import java.util.ArrayList;
import java.util.List;

/** Collects every invalid field of a request, so one 400 names them all. */
public final class Validation {

    private final List<ApiError.FieldError> errors = new ArrayList<>();

    public Validation require(boolean valid, String field, String message) {
        if (!valid) {
            errors.add(new ApiError.FieldError(field, message));
        }
        return this;
    }

    public Validation error(String field, String message) {
        errors.add(new ApiError.FieldError(field, message));
        return this;
    }

    /** How many errors were collected so far. */
    public int errorCount() {
        return errors.size();
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    /** @throws ApiException a 400 with every error collected, if there is any */
    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
