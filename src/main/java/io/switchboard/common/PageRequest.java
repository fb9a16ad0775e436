package io.switchboard.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keyset pagination over (createdAt, id): stable under concurrent inserts, unlike offsets. The cursor is opaque to
 * callers: the position of the last item of the previous page.
 */
public record PageRequest(int limit, Instant afterCreatedAt, UUID afterId) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    /** Parses {@code ?limit=} and {@code ?cursor=}; a bad value is a 400 naming the parameter. */
    public static PageRequest of(Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (cursor == null || cursor.isBlank()) {
            return new PageRequest(size, null, null);
        }
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int sep = decoded.indexOf('|');
            Instant at = Instant.parse(decoded.substring(0, sep));
            UUID id = UUID.fromString(decoded.substring(sep + 1));
            return new PageRequest(size, at, id);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("cursor", "is not a cursor returned by this API");
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, null, null);
    }

    public boolean hasCursor() {
        return afterId != null;
    }

    /** Fetch one more than the limit; the extra row only says whether another page exists. */
    public int fetchSize() {
        return limit + 1;
    }

    public <E> ListResponse<E> toResponse(List<E> rows, Function<E, Instant> createdAt, Function<E, UUID> id) {
        if (rows.size() <= limit) {
            return new ListResponse<>(rows, null);
        }
        List<E> page = rows.subList(0, limit);
        E last = page.get(limit - 1);
        String raw = createdAt.apply(last) + "|" + id.apply(last);
        return new ListResponse<>(List.copyOf(page),
                Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8)));
    }
}
