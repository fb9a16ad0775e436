package io.switchboard.twilio;

import java.util.List;

/** What Lookup v2 knows of a number without paid add-ons: whether it is valid and where it belongs. */
public record LookupResult(String phoneNumber, boolean valid, String countryCode, String callingCountryCode,
        String nationalFormat, List<String> validationErrors) {

    public LookupResult {
        validationErrors = validationErrors == null ? List.of() : List.copyOf(validationErrors);
    }
}
