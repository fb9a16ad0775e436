package io.switchboard.number;

import java.util.List;

/** The body of {@code POST /v1/providers/{id}/import-numbers}. */
public record BulkImportRequest(List<String> numbers) {
}
