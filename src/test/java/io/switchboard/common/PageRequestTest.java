package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageRequestTest {

    private static final UUID ID = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");

    @Test
    void readsBackTheCursorItWrote() {
        var at = Instant.parse("2024-05-01T12:30:00.123456Z");
        var page = PageRequest.first(1).toResponse(List.of("a", "b"), x -> at, x -> ID);
        var next = PageRequest.of(1, page.nextCursor());
        assertThat(next.afterCreatedAt()).isEqualTo(at);
        assertThat(next.afterId()).isEqualTo(ID);
        assertThat(PageRequest.decodeCursor(PageRequest.encodeCursor("+14155550100"))).isEqualTo("+14155550100");
    }

    @Test
    void aNewestFirstCursorGoesOnNewestFirstAndOnlyThere() {
        var at = Instant.parse("2024-05-01T12:30:00.123456Z");
        var first = PageRequest.of(1, null, null, ListOrder.DESC);
        assertThat(first.descending()).isTrue();
        String cursor = first.toResponse(List.of("a", "b"), x -> at, x -> ID).nextCursor();
        var next = PageRequest.of(1, cursor, null, ListOrder.ASC);
        assertThat(next.order()).isEqualTo(ListOrder.DESC);
        assertThat(next.afterCreatedAt()).isEqualTo(at);
        assertThat(next.afterId()).isEqualTo(ID);
        assertThat(PageRequest.of(1, cursor, "desc", ListOrder.ASC).order()).isEqualTo(ListOrder.DESC);
        assertThatThrownBy(() -> PageRequest.of(1, cursor, "asc", ListOrder.DESC)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.details()).extracting(ApiError.FieldError::field)
                        .containsExactly("order"));
        // An oldest-first cursor (every cursor written before lists had an order) goes on oldest first.
        String oldest = PageRequest.first(1).toResponse(List.of("a", "b"), x -> at, x -> ID).nextCursor();
        assertThat(PageRequest.of(1, oldest, null, ListOrder.DESC).order()).isEqualTo(ListOrder.ASC);
        // A list that is only oldest first takes no newest-first cursor.
        assertThatThrownBy(() -> PageRequest.of(1, cursor)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.details()).extracting(ApiError.FieldError::field).containsExactly("cursor"));
        assertThatThrownBy(() -> PageRequest.of(1, null, "sideways", ListOrder.DESC)).isInstanceOfSatisfying(
                ApiException.class, e -> assertThat(e.details()).extracting(ApiError.FieldError::field)
                        .containsExactly("order"));
        assertThat(PageRequest.of(1, null, " ", ListOrder.DESC).order()).isEqualTo(ListOrder.DESC);
    }

    @Test
    void refusesAnyCursorItDidNotWrite() {
        for (String cursor : List.of(raw("+294277-01-01T00:00:00Z|" + ID), raw("-4714-11-24T00:00:00Z|" + ID),
                raw("+10000-01-01T00:00:00Z|" + ID), raw("0000-12-31T23:59:59Z|" + ID), raw("2024-01-01T00:00:00Z"),
                raw("2024-01-01T00:00:00Z|nope"), raw("|" + ID), raw("2024-01-01T00:00:00Z|" + ID + "\u0000"),
                "garbage", "%%%", raw("2024-01-01T00:00:00Z|" + ID) + "==",
                Base64.getEncoder().encodeToString(("2024-01-01T00:00:00Z|" + ID + "??>").getBytes()))) {
            assertThatThrownBy(() -> PageRequest.of(null, cursor)).as(cursor).isInstanceOfSatisfying(
                    ApiException.class, e -> assertThat(e.details()).containsExactly(new ApiError.FieldError(
                            "cursor", "is not a cursor returned by this API")));
        }
        assertThat(PageRequest.of(null, raw("9999-12-31T23:59:59Z|" + ID)).afterId()).isEqualTo(ID);
        assertThat(PageRequest.of(null, raw("0001-01-01T00:00:00Z|" + ID)).afterId()).isEqualTo(ID);
    }

    private static String raw(String position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position.getBytes(StandardCharsets.UTF_8));
    }
}
