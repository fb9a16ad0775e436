package io.switchboard.common;

import java.util.Locale;

/**
 * The order of a list keyed on (createdAt, id): {@code ?order=asc} oldest first, {@code ?order=desc} newest first.
 * Each list says its default; a cursor keeps the order of the page it came from.
 */
public enum ListOrder {
    ASC, DESC;

    /** The description of {@code ?order=} on a list that is newest first by default. */
    public static final String NEWEST_FIRST = "desc: newest first (the default); asc: oldest first. Without order, a "
            + "cursor goes on in the order of the page that returned it; an order that contradicts it is a 400.";

    /** The query parameter's allowed values, as the error message lists them. */
    public static final String VALUES = "asc, desc";

    /** {@code ?order=}: absent or blank is {@code fallback}; any other value than asc or desc is a 400 naming it. */
    public static ListOrder of(String order, ListOrder fallback) {
        if (order == null || order.isBlank()) {
            return fallback;
        }
        return switch (order) {
            case "asc" -> ASC;
            case "desc" -> DESC;
            default -> throw ApiException.badRequest("order", "must be one of " + VALUES);
        };
    }

    /** As the query parameter writes it. */
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
