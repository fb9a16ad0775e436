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
    /**
     * The instants a cursor may hold: every row's createdAt is in them, and they are well inside what PostgreSQL's
     * timestamps can hold, so a position beyond them was never written by this API and would only fail in the database.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** Parses {@code ?limit=} and {@code ?cursor=}; a bad value is a 400 naming the parameter. */
    public static PageRequest of(Integer limit, String cursor) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        if (cursor == null || cursor.isBlank()) {
            return new PageRequest(size, null, null);
        }
        String decoded = decodeCursor(cursor);
        int sep = decoded.indexOf('|');
        try {
            Instant at = Instant.parse(decoded.substring(0, sep));
            UUID id = UUID.fromString(decoded.substring(sep + 1));
            if (!at.isBefore(EARLIEST) && !at.isAfter(LATEST)) {
                return new PageRequest(size, at, id);
            }
        } catch (RuntimeException e) {
            // Not a position this API wrote: refused below.
        }
        throw badCursor();
    }

    /**
     * The text inside an opaque cursor: base64url, as {@link #encodeCursor} writes it, and nothing a writer of
     * cursors never writes (padding, other alphabets, NUL, which the database refuses). Lists keyed on something
     * other than (createdAt, id) check the position further themselves and refuse it with {@link #badCursor}.
     */
    public static String decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (decoded.indexOf('\0') < 0 && encodeCursor(decoded).equals(cursor)) {
                return decoded;
            }
        } catch (IllegalArgumentException e) {
            // Not base64url: refused below.
        }
        throw badCursor();
    }

    /**
     * The number after which a list keyed on E.164 numbers (opt-outs, the do-not-contact list) goes on; null for the
     * first page. Any other position was never written by this API: 400.
     */
    public static String afterNumber(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String after = decodeCursor(cursor);
        if (!PhoneNumbers.isE164(after)) {
            throw badCursor();
        }
        return after;
    }

    /** The cursor of a position, opaque to callers. */
    public static String encodeCursor(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }

    /** The 400 of any cursor that is not one this API returned. */
    public static ApiException badCursor() {
        return ApiException.badRequest("cursor", "is not a cursor returned by this API");
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
        return new ListResponse<>(List.copyOf(page), encodeCursor(createdAt.apply(last) + "|" + id.apply(last)));
    }
}
