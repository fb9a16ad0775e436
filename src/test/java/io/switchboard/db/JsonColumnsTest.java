package io.switchboard.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class JsonColumnsTest {

    private final JsonColumns columns = new JsonColumns(new ObjectMapper());

    @Test
    void agentParametersRoundTrip() {
        String stored = columns.write(new TreeMap<>(Map.of("lang", "en", "tenant", "a&b \"q\"")));
        assertThat(stored).isEqualTo("{\"lang\":\"en\",\"tenant\":\"a&b \\\"q\\\"\"}");
        assertThat(columns.read(stored, JsonColumns.STRING_MAP)).isEqualTo(Map.of("lang", "en", "tenant", "a&b \"q\""));
    }

    @Test
    void jsonbReadsTheSameDecodedOrAsText() {
        String text = "{\"To\":[\"+14155550100\"],\"StirVerstat\":[\"B\",\"A\"]}";
        var fromText = columns.readJsonb(text, JsonColumns.STRING_LISTS);
        var decoded = columns.readJsonb(new JsonObject(text), JsonColumns.STRING_LISTS);
        assertThat(decoded).isEqualTo(fromText)
                .isEqualTo(Map.of("To", List.of("+14155550100"), "StirVerstat", List.of("B", "A")));
        assertThat(decoded.keySet()).containsExactly("To", "StirVerstat");
    }

    @Test
    void unreadableJsonIsAFaultInTheDataThatDoesNotEchoIt() {
        assertThatThrownBy(() -> columns.read("{\"secret-ish\": [1", JsonColumns.STRING_MAP))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("stored JSON is not a java.util.Map")
                .message().doesNotContain("secret-ish");
    }
}
