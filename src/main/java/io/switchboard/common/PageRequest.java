package io.switchboard.common;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Keyset pagination over (createdAt, id), in either {@link ListOrder}: stable under concurrent inserts, unlike
 * offsets, and exact when rows share a createdAt (the id breaks the tie). The cursor is opaque to callers: the
 * position of the last item of the previous page, and the order of that page when it was newest first.
 */
public record PageRequest(int limit, Instant afterCreatedAt, UUID afterId, ListOrder order) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;
    /**
     * The instants a cursor may hold: every row's createdAt is in them, and they are well inside what PostgreSQL's
     * timestamps can hold, so a position beyond them was never written by this API and would only fail in the database.
     */
    static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** The mark of a newest-first cursor, after its position; an oldest-first cursor has none, as before orders. */
    private static final String DESCENDING = "|desc";

    /**
     * Parses {@code ?limit=} and {@code ?cursor=} of a list that is only oldest first; a bad value is a 400 naming the
     * parameter, and so is a cursor of a newest-first list.
     */
    public static PageRequest of(Integer limit, String cursor) {
        PageRequest page = of(limit, cursor, null, ListOrder.ASC);
        if (page.order() != ListOrder.ASC) {
            throw badCursor();
        }
        return page;
    }

    /**
     * Parses {@code ?limit=}, {@code ?cursor=} and {@code ?order=} of a list offered in both orders; without an order
     * the cursor's goes on, else {@code fallback}. An order that contradicts the cursor's is a 400 naming it: the next
     * page of a list read newest first is never read oldest first from the same position (it would repeat rows).
     */
    public static PageRequest of(Integer limit, String cursor, String order, ListOrder fallback) {
        int size = limit == null ? DEFAULT_LIMIT : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "must be between 1 and " + MAX_LIMIT);
        }
        ListOrder asked = order == null || order.isBlank() ? null : ListOrder.of(order, fallback);
        if (cursor == null || cursor.isBlank()) {
            return new PageRequest(size, null, null, asked == null ? fallback : asked);
        }
        String decoded = decodeCursor(cursor);
        ListOrder cursorOrder = decoded.endsWith(DESCENDING) ? ListOrder.DESC : ListOrder.ASC;
        if (cursorOrder == ListOrder.DESC) {
            decoded = decoded.substring(0, decoded.length() - DESCENDING.length());
        }
        int sep = decoded.indexOf('|');
        try {
            Instant at = Instant.parse(decoded.substring(0, sep));
            UUID id = UUID.fromString(decoded.substring(sep + 1));
            if (!at.isBefore(EARLIEST) && !at.isAfter(LATEST)) {
                if (asked != null && asked != cursorOrder) {
                    throw ApiException.badRequest("order", "differs from the order of the cursor's list ("
                            + cursorOrder.value() + ")");
                }
                return new PageRequest(size, at, id, cursorOrder);
            }
        } catch (ApiException e) {
            throw e;
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
        return new PageRequest(limit, null, null, ListOrder.ASC);
    }

    public boolean descending() {
        return order == ListOrder.DESC;
    }

    public boolean hasCursor() {
        return afterId != null;
    }

    /**
     * Ends a list query on {@code (created_at, id)}: the cursor's condition when there is one, the order (both columns
     * in this page's direction, so one index on them serves both, read backwards for desc) and the limit, each value
     * appended to {@code params} as the next numbered parameter.
     */
    public void appendKeysetOrderAndLimit(StringBuilder sql, List<Object> params) {
        if (hasCursor()) {
            params.add(afterCreatedAt.atOffset(ZoneOffset.UTC));
            params.add(afterId);
            int at = params.size() - 1;
            sql.append(" and (created_at, id) ").append(descending() ? '<' : '>').append(" ($").append(at)
                    .append(", $").append(at + 1).append(')');
        }
        params.add(fetchSize());
        String direction = descending() ? " desc" : "";
        sql.append(" order by created_at").append(direction).append(", id").append(direction).append(" limit $")
                .append(params.size());
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
        return new ListResponse<>(List.copyOf(page), encodeCursor(createdAt.apply(last) + "|" + id.apply(last)
                + (descending() ? DESCENDING : "")));
    }
}
