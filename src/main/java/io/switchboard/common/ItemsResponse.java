package io.switchboard.common;

import java.util.List;

/** A complete, unpaged list: {@code {"items": [...]}}. */
public record ItemsResponse<T>(List<T> items) {
}
