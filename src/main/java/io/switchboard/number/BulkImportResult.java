package io.switchboard.number;

import java.util.List;

/** Each number of a bulk import succeeds or fails on its own. */
public record BulkImportResult(List<PhoneNumberView> imported, List<Failure> failed) {

    public record Failure(String number, String error) {
    }
}
