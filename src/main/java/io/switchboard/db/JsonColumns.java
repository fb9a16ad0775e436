package io.switchboard.db;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;

/**
 * The one mapping between values and the JSON kept in columns: text columns that hold JSON (an agent's parameters,
 * a provider's verification, a number's configuration before import) and {@code jsonb} as the reactive client reads
 * it. Written and read with the application's object mapper, so stored JSON reads back as the API would read it. A
 * stored value that cannot be read is a fault in the data: {@link IllegalStateException}, naming the type only.
 */
@ApplicationScoped
public class JsonColumns {

    /** A JSON object of strings, as agent parameters are stored. */
    public static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };
    /** A JSON object of string arrays, as a callback's parameters are stored. */
    public static final TypeReference<Map<String, List<String>>> STRING_LISTS = new TypeReference<>() {
    };

    private final ObjectMapper json;

    public JsonColumns(ObjectMapper json) {
        this.json = json;
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    public <T> T read(String stored, TypeReference<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(type.getType().getTypeName(), e);
        }
    }

    public <T> T read(String stored, Class<T> type) {
        try {
            return json.readValue(stored, type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw unreadable(type.getSimpleName(), e);
        }
    }

    /** A {@code jsonb} value as the reactive client returns it: a decoded object or array, or JSON text. */
    public <T> T readJsonb(Object stored, TypeReference<T> type) {
        String text = stored instanceof JsonObject object ? object.encode()
                : stored instanceof JsonArray array ? array.encode() : String.valueOf(stored);
        return read(text, type);
    }

    private static IllegalStateException unreadable(String type, Exception e) {
        return new IllegalStateException("stored JSON is not a " + type + ": " + e.getClass().getSimpleName(), e);
    }
}
