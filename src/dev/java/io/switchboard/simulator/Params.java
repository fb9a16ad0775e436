package io.switchboard.simulator;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Form (or query) parameters of one request, with Twilio's "an empty value clears" reading. */
record Params(Map<String, List<String>> values) {

    static Params of(Map<String, List<String>> values) {
        return new Params(new LinkedHashMap<>(values));
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The first value, or null when absent. */
    String get(String name) {
        var list = values.get(name);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    String get(String name, String fallback) {
        String value = get(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    /** A required, non-empty value; otherwise Twilio's missing-parameter error. */
    String require(String name) {
        String value = get(name);
        if (value == null || value.isBlank()) {
            throw SimError.missing(name);
        }
        return value;
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    boolean flag(String name) {
        return "true".equalsIgnoreCase(get(name));
    }

    /** An HTTP method parameter: GET or POST, POST when absent or empty; anything else is refused. */
    String method(String name) {
        String value = get(name);
        if (value == null || value.isEmpty()) {
            return "POST";
        }
        String upper = value.toUpperCase();
        if (!upper.equals("GET") && !upper.equals("POST")) {
            throw new SimError(400, 21260, "Method must be GET or POST: " + value);
        }
        return upper;
    }

    int integer(String name, int fallback) {
        String value = get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new SimError(400, 20001, "Invalid " + name + ": " + value);
        }
    }
}
