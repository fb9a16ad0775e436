package io.switchboard.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * An exception mapper's answer as its JSON body, for the narrow tests of the mappers: checks that it has the
 * contract's shape and gives away no class name or stack frame.
 */
public record ErrorBody(int status, String error, String message, List<Detail> details) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public record Detail(String field, String message) {
    }

    public static ErrorBody of(Response response) {
        assertThat(response.getMediaType()).isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        String text;
        try {
            text = JSON.writeValueAsString(response.getEntity());
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
        assertThat(text).as("body %s", text)
                .doesNotContain("Exception")
                .doesNotContain("io.switchboard")
                .doesNotContain("java.")
                .doesNotContain("\tat ")
                .doesNotContainPattern("\\.java:\\d+");
        JsonNode body = read(text);
        var fields = new ArrayList<String>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("body %s", text).containsExactly("error", "message", "details");
        var details = new ArrayList<Detail>();
        body.get("details").forEach(d -> details.add(new Detail(d.get("field").asText(), d.get("message").asText())));
        return new ErrorBody(response.getStatus(), body.get("error").asText(), body.get("message").asText(),
                List.copyOf(details));
    }

    private static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }
}
