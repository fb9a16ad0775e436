package io.switchboard.twilio;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Twilio's OpenAPI specs as request validators, one per product.
 * <p>
 * Form bodies are not handed to the validator as they are: its form parser guesses each value's type from its text,
 * so {@code To=+14155550101} becomes an integer and the empty value that clears a field becomes null, and both then
 * fail a {@code string} schema. Instead each body is decoded the way OpenAPI defines form serialization
 * ({@code style: form, explode: true}, so a repeated key such as {@code StatusCallbackEvent} is one array), typed by
 * the operation's own schema (a value that does not parse as its declared integer or boolean stays a string and is
 * reported), and validated as JSON against the same schema, added to the spec under {@code application/json}.
 */
final class TwilioSpecs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORM = "application/x-www-form-urlencoded";

    private record Product(OpenApiInteractionValidator validator, JsonNode spec, List<Operation> operations) {
    }

    private record Operation(String method, Pattern path, JsonNode formSchema) {
    }

    private final Map<String, Product> products;

    private TwilioSpecs() {
        products = Map.of(
                "api", load("twilio_api_v2010.json"),
                "trunking", load("twilio_trunking_v1.json"),
                "lookups", load("twilio_lookups_v2.json"));
    }

    private static final class Holder {
        // Parsing the 2010 spec takes seconds: once per test run.
        static final TwilioSpecs INSTANCE = new TwilioSpecs();
    }

    static TwilioSpecs get() {
        return Holder.INSTANCE;
    }

    /** The report of a request recorded by {@link FakeTwilio}, against the spec of the product it was sent to. */
    ValidationReport validate(FakeTwilio.Recorded recorded) {
        var product = products.get(recorded.product());
        return product.validator().validateRequest(toRequest(product, recorded));
    }

    private Request toRequest(Product product, FakeTwilio.Recorded recorded) {
        var builder = new SimpleRequest.Builder(recorded.method(), recorded.productPath());
        var form = recorded.body() != null && !recorded.body().isEmpty()
                && String.valueOf(recorded.headers().get("Content-Type")).startsWith(FORM);
        recorded.headers().names().stream()
                .filter(name -> !(form && name.equalsIgnoreCase("Content-Type")))
                .forEach(name -> builder.withHeader(name, recorded.headers().getAll(name)));
        var query = recorded.query();
        query.names().forEach(name -> builder.withQueryParam(name, query.getAll(name)));
        if (form) {
            var schema = formSchema(product, recorded).orElse(JSON.createObjectNode());
            builder.withContentType("application/json").withBody(typed(recorded, schema).toString());
        } else if (recorded.body() != null && !recorded.body().isEmpty()) {
            builder.withBody(recorded.body());
        }
        return builder.build();
    }

    private Optional<JsonNode> formSchema(Product product, FakeTwilio.Recorded recorded) {
        return product.operations().stream()
                .filter(op -> op.method().equalsIgnoreCase(recorded.method()))
                .filter(op -> op.path().matcher(recorded.productPath()).matches())
                .map(Operation::formSchema)
                .findFirst()
                .map(schema -> resolve(product.spec(), schema));
    }

    /** The form as a JSON object: repeated keys as arrays where the schema says array, values typed by schema. */
    private ObjectNode typed(FakeTwilio.Recorded recorded, JsonNode schema) {
        var form = recorded.form();
        var body = JSON.createObjectNode();
        for (var name : form.names()) {
            var property = schema.path("properties").path(name);
            if ("array".equals(property.path("type").asText())) {
                ArrayNode values = body.putArray(name);
                form.getAll(name).forEach(value -> values.add(value(value, property.path("items"))));
            } else {
                body.set(name, value(form.get(name), property));
            }
        }
        return body;
    }

    private static JsonNode value(String text, JsonNode schema) {
        var factory = JSON.getNodeFactory();
        try {
            return switch (schema.path("type").asText()) {
                case "integer" -> factory.numberNode(Long.parseLong(text));
                case "number" -> factory.numberNode(new BigDecimal(text));
                case "boolean" -> text.equals("true") || text.equals("false")
                        ? factory.booleanNode(Boolean.parseBoolean(text))
                        : factory.textNode(text);
                default -> factory.textNode(text);
            };
        } catch (NumberFormatException e) {
            return factory.textNode(text);
        }
    }

    private static JsonNode resolve(JsonNode spec, JsonNode schema) {
        var ref = schema.path("$ref").asText(null);
        return ref == null ? schema : spec.at(ref.substring(1));
    }

    private static Product load(String file) {
        try (var in = TwilioSpecs.class.getResourceAsStream("/twilio-oai/" + file)) {
            var spec = (ObjectNode) JSON.readTree(in);
            var operations = new ArrayList<Operation>();
            var paths = spec.path("paths").fields();
            while (paths.hasNext()) {
                var path = paths.next();
                var pattern = Pattern.compile(Pattern.quote(path.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q"));
                var methods = path.getValue().fields();
                while (methods.hasNext()) {
                    var method = methods.next();
                    var content = method.getValue().path("requestBody").path("content");
                    if (content.has(FORM)) {
                        ((ObjectNode) content).set("application/json", content.get(FORM).deepCopy());
                        operations.add(new Operation(method.getKey(), pattern, content.get(FORM).path("schema")));
                    }
                }
            }
            var validator = OpenApiInteractionValidator.createForInlineApiSpecification(JSON.writeValueAsString(spec))
                    .build();
            return new Product(validator, spec, List.copyOf(operations));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
