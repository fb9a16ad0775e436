package io.switchboard.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.node.NullNode;
import io.switchboard.support.ErrorBody;
import io.switchboard.support.ErrorBody.Detail;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Path;
import jakarta.ws.rs.WebApplicationException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorMappersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Item(int count) {
    }

    record Sample(String name, int count, List<Item> items) {
    }

    /** Strings of every shape a body holds them in: a field, a list, a map, a raw tree (as patches read them). */
    record Texts(String name, List<String> tags, Map<String, String> labels, JsonNode tree, List<Texts> nested) {
    }

    private static final ObjectMapper STRICT = strict();

    private final ErrorMappers mappers = new ErrorMappers();

    @Test
    void aNulInAnyStringOfTheBodyNamesWhereItIs() {
        var cases = Map.of(
                "{\"name\": \"a\\u0000b\"}", "name",
                "{\"tags\": [\"ok\", \"\\u0000\"]}", "tags[1]",
                "{\"labels\": {\"k\": \"v\\u0000\"}}", "labels.k",
                "{\"tree\": {\"a\": [1, {\"b\": \"\\u0000\"}]}}", "tree.a[1].b",
                "{\"tree\": \"\\u0000\"}", "tree",
                "{\"nested\": [{\"name\": \"x\"}, {\"tree\": [\"\\u0000\"]}]}", "nested[1].tree[0]");
        cases.forEach((body, field) -> {
            var e = assertThrows(() -> STRICT.readValue(body, Texts.class));
            assertThat(e).as(body).isInstanceOf(MismatchedInputException.class);
            assertThat(ErrorBody.of(mappers.mismatchedJson((MismatchedInputException) e))).as(body).isEqualTo(
                    new ErrorBody(400, "invalid_request", field + ": must not contain the NUL character (U+0000)",
                            List.of(new Detail(field, "must not contain the NUL character (U+0000)"))));
        });
    }

    @Test
    void strictReadingKeepsWhatIsNotNulAndTellsAbsentFromNull() throws JsonProcessingException {
        var read = STRICT.readValue("{\"name\": \"tab\\tline\\n\\u0001\", \"tags\": [null], \"tree\": null}",
                Texts.class);
        assertThat(read.name()).isEqualTo("tab\tline\n\u0001");
        assertThat(read.tags()).containsExactly((String) null);
        assertThat(read.tree()).isEqualTo(NullNode.getInstance());
        assertThat(STRICT.readValue("{}", Texts.class).tree()).isNull();
    }

    @Test
    void aFieldGivenTwiceIsNamed() {
        var cases = Map.of(
                "{\"name\": \"a\", \"name\": \"b\"}", "name",
                "{\"labels\": {\"k\": \"1\", \"k\": \"2\"}}", "labels.k",
                "{\"nested\": [{}, {\"tags\": [], \"tags\": []}]}", "nested[1].tags",
                "{\"tree\": {\"a\": {\"b\": 1, \"b\": 2}}}", "tree.a.b");
        cases.forEach((body, field) -> {
            var e = assertThrows(() -> STRICT.readValue(body, Texts.class));
            assertThat(ErrorBody.of(mappers.malformedJson(e))).as(body).isEqualTo(new ErrorBody(400,
                    "invalid_request", field + ": is given more than once",
                    List.of(new Detail(field, "is given more than once"))));
        });
        // The JSON provider hands a body it could not parse on as a 400 of its own.
        var wrapped = new WebApplicationException(assertThrows(() -> STRICT.readValue(
                "{\"nested\": [{\"name\": \"a\", \"name\": \"b\"}]}", Texts.class)), 400);
        assertThat(ErrorBody.of(mappers.webApplication(wrapped))).isEqualTo(new ErrorBody(400, "invalid_request",
                "nested[0].name: is given more than once", List.of(new Detail("nested[0].name",
                        "is given more than once"))));
        // Other malformed JSON names no field, even where the parser was inside one.
        var notJson = assertThrows(() -> STRICT.readValue("{\"name\": \"a\", \"tags\": [}", Texts.class));
        assertThat(ErrorBody.of(mappers.malformedJson(notJson))).isEqualTo(
                new ErrorBody(400, "malformed_request", "the request body is not valid JSON", List.of()));
    }

    @Test
    void anApiExceptionIsAnsweredAsItSays() {
        assertThat(ErrorBody.of(mappers.api(ApiException.badRequest("name", "must not be blank")))).isEqualTo(
                new ErrorBody(400, "invalid_request", "name: must not be blank",
                        List.of(new Detail("name", "must not be blank"))));
        assertThat(ErrorBody.of(mappers.api(ApiException.notFound("provider")))).isEqualTo(
                new ErrorBody(404, "not_found", "provider not found", List.of()));
    }

    @Test
    void beanValidationNamesEachFieldInOrder() {
        var e = new ConstraintViolationException(Set.of(violation("create.request.name", "must not be blank"),
                violation("create.request.accountSid", "must not be null")));
        assertThat(ErrorBody.of(mappers.validation(e))).isEqualTo(new ErrorBody(400, "invalid_request",
                "accountSid: must not be null; name: must not be blank",
                List.of(new Detail("accountSid", "must not be null"), new Detail("name", "must not be blank"))));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"nmae\": \"x\"}                  | nmae           | unknown field",
        "{\"count\": {}}                    | count          | has the wrong type",
        "{\"count\": \"many\"}              | count          | has the wrong format",
        "{\"items\": [{\"count\": \"x\"}]}  | items[0].count | has the wrong format",
    })
    void aBodyOfTheWrongShapeNamesTheField(String body, String field, String message) {
        assertThat(ErrorBody.of(mappers.mismatchedJson(mismatched(body)))).isEqualTo(new ErrorBody(400,
                "invalid_request", field + ": " + message, List.of(new Detail(field, message))));
    }

    @Test
    void aBodyThatIsNotAnObjectOrNotJsonIsMalformed() {
        assertThat(ErrorBody.of(mappers.mismatchedJson(mismatched("[1]")))).isEqualTo(
                new ErrorBody(400, "malformed_request", "the request body has the wrong shape", List.of()));
        var notJson = assertThrows(() -> JSON.readValue("{\"name\": ", Sample.class));
        assertThat(ErrorBody.of(mappers.malformedJson(notJson))).isEqualTo(
                new ErrorBody(400, "malformed_request", "the request body is not valid JSON", List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "400 | malformed_request      | Bad Request",
        "401 | unauthorized           | Unauthorized",
        "404 | not_found              | Not Found",
        "405 | method_not_allowed     | Method Not Allowed",
        "406 | not_acceptable         | Not Acceptable",
        "413 | payload_too_large      | Request Entity Too Large",
        "415 | unsupported_media_type | Unsupported Media Type",
        "409 | request_failed         | Conflict",
        "500 | internal_error         | internal error",
        "503 | internal_error         | internal error",
    })
    void aJaxRsAnswerKeepsItsStatusWithTheContractsCode(int status, String code, String message) {
        var e = new WebApplicationException("resource method failed in io.switchboard.Foo", status);
        assertThat(ErrorBody.of(mappers.webApplication(e))).isEqualTo(new ErrorBody(status, code, message,
                List.of()));
    }

    @Test
    void aViolationsPathLosesItsMethodAndParameter() {
        assertThat(ErrorMappers.fieldName("create.request.name")).isEqualTo("name");
        assertThat(ErrorMappers.fieldName("update.patch.routing.url")).isEqualTo("routing.url");
        assertThat(ErrorMappers.fieldName("request.name")).isEqualTo("name");
        assertThat(ErrorMappers.fieldName("name")).isEqualTo("name");
    }

    private static MismatchedInputException mismatched(String body) {
        var e = assertThrows(() -> JSON.readValue(body, Sample.class));
        assertThat(e).isInstanceOf(MismatchedInputException.class);
        return (MismatchedInputException) e;
    }

    private static ObjectMapper strict() {
        var mapper = new ObjectMapper();
        new StrictJson().customize(mapper);
        return mapper;
    }

    private interface Read {
        void run() throws JsonProcessingException;
    }

    private static JsonProcessingException assertThrows(Read read) {
        try {
            read.run();
        } catch (JsonProcessingException e) {
            return e;
        }
        throw new AssertionError("the body was read");
    }

    /** Only the path and the message are read by the mapper. */
    private static ConstraintViolation<?> violation(String path, String message) {
        Path propertyPath = (Path) Proxy.newProxyInstance(Path.class.getClassLoader(), new Class<?>[] { Path.class },
                (proxy, method, args) -> method.getName().equals("toString") ? path : null);
        return (ConstraintViolation<?>) Proxy.newProxyInstance(ConstraintViolation.class.getClassLoader(),
                new Class<?>[] { ConstraintViolation.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "getPropertyPath" -> propertyPath;
                    case "getMessage" -> message;
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }
}
