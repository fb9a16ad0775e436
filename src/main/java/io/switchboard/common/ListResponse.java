package io.switchboard.common;

import java.util.List;
import java.util.function.Function;

/** The contract's list shape: {@code {"items": [...], "nextCursor": "..." | null}}. */
public record ListResponse<T>(List<T> items, String nextCursor) {

    public <R> ListResponse<R> map(Function<T, R> mapper) {
        return new ListResponse<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
