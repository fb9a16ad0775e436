package io.switchboard.webhook;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A webhook's parameters exactly as Twilio sent them: names as spelt (Twilio's names are case-sensitive), repeated
 * names kept, in the order sent. Parsed once from the raw {@code application/x-www-form-urlencoded} body: the
 * signature covers precisely these pairs, and a generic multipart decoder costs far more per request than the answer.
 */
public final class FormParams {

    public static final FormParams EMPTY = new FormParams(new String[0], new String[0], 0, "");
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final String[] names;
    private final String[] values;
    private final int size;
    /** The form as sent, when these were parsed from one; else null. */
    private final String raw;

    private FormParams(String[] names, String[] values, int size, String raw) {
        this.names = names;
        this.values = values;
        this.size = size;
        this.raw = raw;
    }

    /**
     * Decodes a form body: pairs split on {@code &}, name from value on the first {@code =}, {@code +} and
     * {@code %XX} (UTF-8) decoded. Empty pairs are skipped; a pair without {@code =} has an empty value.
     *
     * @throws IllegalArgumentException for a malformed percent escape
     */
    public static FormParams parse(String body) {
        if (body == null || body.isEmpty()) {
            return EMPTY;
        }
        int capacity = 8;
        String[] names = new String[capacity];
        String[] values = new String[capacity];
        int size = 0;
        int start = 0;
        int length = body.length();
        while (start <= length) {
            int end = body.indexOf('&', start);
            if (end < 0) {
                end = length;
            }
            if (end > start) {
                int eq = body.indexOf('=', start);
                if (eq < 0 || eq > end) {
                    eq = end;
                }
                if (size == capacity) {
                    capacity *= 2;
                    names = Arrays.copyOf(names, capacity);
                    values = Arrays.copyOf(values, capacity);
                }
                names[size] = decode(body, start, eq);
                values[size] = eq < end ? decode(body, eq + 1, end) : "";
                size++;
            }
            start = end + 1;
        }
        return new FormParams(names, values, size, body);
    }

    /** A JSON body's top-level fields, each value as text, for the handlers that read JSON-bodied webhooks. */
    public static FormParams of(JsonObject json) {
        String[] names = new String[json.size()];
        String[] values = new String[json.size()];
        int i = 0;
        for (var entry : json) {
            names[i] = entry.getKey();
            values[i] = String.valueOf(entry.getValue());
            i++;
        }
        return new FormParams(names, values, i, null);
    }

    private static String decode(String body, int from, int to) {
        return QueryStringDecoder.decodeComponent(body.substring(from, to), StandardCharsets.UTF_8);
    }

    /** The first value sent for {@code name}, or null. */
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                return values[i];
            }
        }
        return null;
    }

    /** Every value sent for {@code name}, in order. */
    public List<String> getAll(String name) {
        var all = new ArrayList<String>(1);
        for (int i = 0; i < size; i++) {
            if (names[i].equals(name)) {
                all.add(values[i]);
            }
        }
        return all;
    }

    /** The distinct names, in the order first sent. */
    public Set<String> names() {
        var distinct = new LinkedHashSet<String>(size * 2);
        for (int i = 0; i < size; i++) {
            distinct.add(names[i]);
        }
        return distinct;
    }

    /** The number of pairs sent, repeated names counted each time. */
    public int size() {
        return size;
    }

    /**
     * These parameters as an {@code application/x-www-form-urlencoded} form that {@link #parse} reads back to the same
     * pairs in the same order: the body as sent when they were parsed from one (no encoding work), else encoded.
     */
    public String toForm() {
        if (raw != null) {
            return raw;
        }
        var form = new StringBuilder(size * 32);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                form.append('&');
            }
            form.append(URLEncoder.encode(names[i], StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(values[i], StandardCharsets.UTF_8));
        }
        return form.toString();
    }

    /** Each name with all its values in the order sent, names in the order first sent: how the API shows them. */
    public Map<String, List<String>> asOrderedMap() {
        var map = new LinkedHashMap<String, List<String>>(size * 2);
        for (int i = 0; i < size; i++) {
            map.computeIfAbsent(names[i], k -> new ArrayList<>(1)).add(values[i]);
        }
        return map;
    }

    /** Each name with all its values in the order sent, names sorted: what the signature is computed over. */
    public SortedMap<String, List<String>> asMap() {
        var map = new TreeMap<String, List<String>>();
        for (int i = 0; i < size; i++) {
            map.computeIfAbsent(names[i], k -> new ArrayList<>(1)).add(values[i]);
        }
        return map;
    }

    /**
     * {@code {"name": ["value", …]}}, names in the order first sent, NUL removed (PostgreSQL refuses it in jsonb):
     * how {@code communication_event.params} stores a callback, and the only writer of that shape. Written directly
     * rather than through a general JSON encoder, which costs more on the inbound-call path that stores one per call.
     * Linear in the body: the pairs of one name are linked by one map lookup each, never by comparing every pair
     * with every other, which a body of thousands of names would turn into seconds of an event loop.
     */
    public String toJsonString() {
        String[] clean = new String[size];
        int length = 2;
        for (int i = 0; i < size; i++) {
            clean[i] = CallbackEvent.clean(names[i]);
            length += clean[i].length() + values[i].length() + 8;
        }
        int[] next = nextWithSameKey(clean, size);
        boolean[] written = new boolean[size];
        var out = new StringBuilder(length).append('{');
        for (int i = 0; i < size; i++) {
            if (written[i]) {
                continue;
            }
            if (out.length() > 1) {
                out.append(',');
            }
            appendJsonString(out, clean[i]).append(":[");
            for (int j = i; j >= 0; j = next[j]) {
                if (j > i) {
                    out.append(',');
                }
                appendJsonString(out, values[j]);
                written[j] = true;
            }
            out.append(']');
        }
        return out.append('}').toString();
    }

    /** For each of the first {@code size} keys, the index of the next equal key, or -1: one hash lookup per key. */
    static <K> int[] nextWithSameKey(K[] keys, int size) {
        int[] next = new int[size];
        var last = new HashMap<K, Integer>(Math.max(16, size * 2));
        for (int i = 0; i < size; i++) {
            next[i] = -1;
            Integer previous = last.put(keys[i], i);
            if (previous != null) {
                next[previous] = i;
            }
        }
        return next;
    }

    /** A JSON string literal; NUL is left out, as {@link CallbackEvent#clean} does. */
    private static StringBuilder appendJsonString(StringBuilder out, String value) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\0' -> {
                }
                default -> {
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
