package io.switchboard.simulator;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/** Twilio's two list shapes: the 2010 API's page fields and the v1 APIs' {@code meta}. */
final class Pages {

    private static final int DEFAULT_SIZE = 50;
    private static final int MAX_SIZE = 1000;

    private Pages() {
    }

    /**
     * A 2010 API page; {@code uri} is the list's path ({@code /2010-04-01/Accounts/AC…/Calls.json}), and
     * {@code filters} the query parameters that narrowed it, repeated in the page URIs as Twilio does.
     */
    static JsonObject page2010(String key, List<JsonObject> all, String uri, Params query, List<String> filters) {
        return page2010(key, all, Function.identity(), uri, query, filters);
    }

    /** The same, shaping only the page's own items, so that a list of tens of thousands stays quick to page. */
    static <T> JsonObject page2010(String key, List<T> all, Function<T, JsonObject> toJson, String uri,
            Params query, List<String> filters) {
        int size = size(query);
        int page = Math.max(0, query.integer("Page", 0));
        String prefix = uri + "?" + filterQuery(query, filters);
        int start = Math.min(page * size, all.size());
        int end = Math.min(start + size, all.size());
        boolean more = end < all.size();
        return new JsonObject()
                .put(key, new JsonArray(all.subList(start, end).stream().map(toJson).toList()))
                .put("end", Math.max(start, end - 1))
                .put("first_page_uri", prefix + "PageSize=" + size + "&Page=0")
                .put("next_page_uri", more ? prefix + "PageSize=" + size + "&Page=" + (page + 1) + "&PageToken=PA"
                        + end : null)
                .put("page", page)
                .put("page_size", size)
                .put("previous_page_uri", page > 0 ? prefix + "PageSize=" + size + "&Page=" + (page - 1) : null)
                .put("start", start)
                .put("uri", prefix + "PageSize=" + size + "&Page=" + page);
    }

    /** A v1 page; {@code url} is the list's absolute URL. */
    static JsonObject pageV1(String key, List<JsonObject> all, String url, Params query) {
        int size = size(query);
        int page = Math.max(0, query.integer("Page", 0));
        int start = Math.min(page * size, all.size());
        int end = Math.min(start + size, all.size());
        boolean more = end < all.size();
        return new JsonObject()
                .put(key, new JsonArray(all.subList(start, end)))
                .put("meta", new JsonObject()
                        .put("first_page_url", url + "?PageSize=" + size + "&Page=0")
                        .put("key", key)
                        .put("next_page_url", more ? url + "?PageSize=" + size + "&Page=" + (page + 1)
                                + "&PageToken=PA" + end : null)
                        .put("page", page)
                        .put("page_size", size)
                        .put("previous_page_url", page > 0 ? url + "?PageSize=" + size + "&Page=" + (page - 1) : null)
                        .put("url", url + "?PageSize=" + size + "&Page=" + page));
    }

    private static int size(Params query) {
        return Math.min(MAX_SIZE, Math.max(1, query.integer("PageSize", DEFAULT_SIZE)));
    }

    private static String filterQuery(Params query, List<String> filters) {
        var result = new StringBuilder();
        for (String name : filters) {
            String value = query.get(name);
            if (value != null) {
                result.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8)).append('&');
            }
        }
        return result.toString();
    }
}
