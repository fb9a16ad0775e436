package io.switchboard.number;

import io.switchboard.common.ApiException;
import io.switchboard.common.Validation;
import java.util.List;

/** The body of {@code POST /v1/providers/{id}/import-numbers}. */
public record BulkImportRequest(List<String> numbers) {

    static final int MAX_NUMBERS = 500;

    /**
     * 1 to {@value #MAX_NUMBERS} numbers, none of them null. A number that is not E.164 or not in the account is not
     * refused here: it is reported among the failures, beside the numbers that were imported.
     *
     * @throws ApiException a 400 naming {@code numbers}, or each null entry as {@code numbers[i]}
     */
    public void validate() {
        if (numbers == null || numbers.isEmpty() || numbers.size() > MAX_NUMBERS) {
            throw ApiException.badRequest("numbers", "must list 1 to " + MAX_NUMBERS + " numbers");
        }
        var v = new Validation();
        for (int i = 0; i < numbers.size(); i++) {
            v.require(numbers.get(i) != null, "numbers[" + i + "]", "must be a phone number, not null");
        }
        v.throwIfInvalid();
    }
}
