package io.switchboard.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.switchboard.event.EventTypes;
import io.switchboard.tenant.OperatorAccess;
import io.switchboard.twilio.WebhookEndpoint;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jboss.resteasy.reactive.ResponseStatus;
import org.jboss.resteasy.reactive.RestResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /q/openapi} is a document a client generator can use: it parses cleanly, holds every {@code /v1} route of
 * the resource classes with the success status the route really answers, and says how to authenticate each one.
 * The routes are read from the resource classes themselves, so a new endpoint without documentation fails here.
 */
@QuarkusTest
class OpenApiDocumentTest {

    /** The scheme of an organization's API key ({@code Authorization: Bearer sk_...}). */
    private static final String API_KEY = "bearer";
    /** The scheme of the operator's {@code ADMIN_TOKEN}. */
    private static final String ADMIN_TOKEN = "adminToken";
    private static final String API_ERROR_REF = "#/components/schemas/ApiError";
    /**
     * Successes a method builds at run time, which no annotation of its signature says: adding an entry that is
     * already on the list answers 200 with the existing one.
     */
    private static final Map<String, Set<String>> BUILT_STATUSES = Map.of(
            "POST /v1/do-not-contact", Set.of("200", "201"));

    /** Query parameters that take one of a few values wherever they appear. */
    private static final Set<String> ENUMERATED_PARAMETERS = Set.of("order", "status", "direction", "type");

    private static OpenAPI document;

    /** Parsed once: {@code @BeforeAll} would run before the application listens. */
    @BeforeEach
    void parse() {
        if (document != null) {
            return;
        }
        String json = given().queryParam("format", "json").get("/q/openapi")
                .then().statusCode(200).extract().asString();
        var options = new ParseOptions();
        options.setResolve(true);
        var result = new OpenAPIV3Parser().readContents(json, null, options);
        assertThat(result.getMessages()).as("parser messages").isEmpty();
        document = result.getOpenAPI();
        assertThat(document).isNotNull();
    }

    @Test
    void everyRouteOfTheResourcesIsDocumentedWithItsRealSuccessStatus() {
        Map<String, Route> routes = routes();
        assertThat(routes).containsKeys("POST /v1/organizations", "PATCH /v1/agents/{id}", "POST /v1/calls");
        var problems = new ArrayList<String>();
        routes.forEach((key, route) -> {
            Operation operation = operation(route.method(), route.path());
            if (operation == null) {
                problems.add(key + ": not in the document");
                return;
            }
            Set<String> documented = operation.getResponses() == null ? Set.of()
                    : operation.getResponses().keySet().stream().filter(code -> code.startsWith("2"))
                            .collect(Collectors.toSet());
            if (!documented.equals(route.successes())) {
                problems.add(key + ": documents " + documented + ", answers " + route.successes());
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyV1OperationDeclaresTheBearerSchemeItsRouteAccepts() {
        Map<String, SecurityScheme> schemes = document.getComponents().getSecuritySchemes();
        assertThat(schemes).containsKeys(API_KEY, ADMIN_TOKEN);
        for (String name : List.of(API_KEY, ADMIN_TOKEN)) {
            assertThat(schemes.get(name).getType()).isEqualTo(SecurityScheme.Type.HTTP);
            assertThat(schemes.get(name).getScheme()).isEqualToIgnoringCase("bearer");
            assertThat(schemes.get(name).getDescription()).isNotBlank();
        }
        var problems = new ArrayList<String>();
        routes().forEach((key, route) -> {
            Operation operation = operation(route.method(), route.path());
            if (operation == null) {
                return;
            }
            Set<String> declared = operation.getSecurity() == null ? Set.of()
                    : operation.getSecurity().stream().map(SecurityRequirement::keySet).flatMap(Set::stream)
                            .collect(Collectors.toSet());
            if (!declared.equals(route.schemes())) {
                problems.add(key + ": declares " + declared + ", accepts " + route.schemes());
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyV1OperationIsDescribedAndItsErrorsCarryTheErrorBody() {
        var problems = new ArrayList<String>();
        v1Operations().forEach((key, operation) -> {
            if (blank(operation.getSummary()) || blank(operation.getDescription())) {
                problems.add(key + ": no summary or description");
            }
            if (operation.getTags() == null || operation.getTags().isEmpty()) {
                problems.add(key + ": no tag");
            }
            if (!operation.getResponses().containsKey("401")) {
                problems.add(key + ": no 401");
            }
            if (operation.getRequestBody() != null && !operation.getResponses().containsKey("400")) {
                problems.add(key + ": takes a body and documents no 400");
            }
            if (key.contains("{") && !operation.getResponses().containsKey("404")) {
                problems.add(key + ": names a resource and documents no 404");
            }
            operation.getResponses().forEach((code, response) -> {
                if (!code.startsWith("2") && !carriesApiError(response)) {
                    problems.add(key + " " + code + ": no ApiError body");
                }
            });
        });
        assertThat(problems).isEmpty();
    }

    /**
     * The PATCH bodies hold raw JSON nodes (to tell an absent field from an explicit null); the document shows the
     * fields a client writes, not Jackson's node internals.
     */
    @Test
    void requestBodiesShowTheFieldsAClientWritesWithTheirAllowedValues() {
        Map<String, Schema> schemas = document.getComponents().getSchemas();
        assertThat(schemas).doesNotContainKeys("JsonNode", "JsonNodeType");
        Schema<?> routing = property("AgentPatch", "routing");
        Schema<?> route = refOf(routing) == null ? routing : schemas.get("Routing");
        assertThat(enumOf((Schema<?>) route.getProperties().get("type"))).as("AgentPatch.routing.type")
                .containsExactly("stream", "sip", "number", "conversationRelay");
        assertThat(enumOf(property("AgentPatch", "recording")))
                .containsExactly("off", "on");
        assertThat(property("PhoneNumberPatch", "agentId").getFormat()).isEqualTo("uuid");
        assertThat(property("SubscriptionPatch", "paused").getTypes()).contains("boolean");
        assertThat(enumOf(property("Routing", "type")))
                .containsExactly("stream", "sip", "number", "conversationRelay");
        assertThat(enumOf(property("ProviderRequest", "region")))
                .containsExactly("us1", "ie1", "au1");
        assertThat(schemas.get("AgentRequest").getRequired()).contains("name", "routing");
        Schema<?> to = property("SendMessageRequest", "to");
        assertThat(to.getExample() != null || to.getExamples() != null).as("SendMessageRequest.to has an example")
                .isTrue();
    }

    /**
     * Every query parameter of a {@code /v1} operation says what it does, and the ones with allowed values list them
     * (a client generator turns them into enums; a newcomer need not guess from 400s).
     */
    @Test
    void everyQueryParameterIsDescribedAndTheEnumeratedOnesListTheirValues() {
        var problems = new ArrayList<String>();
        var described = new TreeMap<String, Integer>();
        v1Operations().forEach((key, operation) -> {
            for (Parameter parameter : operation.getParameters() == null ? List.<Parameter>of()
                    : operation.getParameters()) {
                if (!"query".equals(parameter.getIn())) {
                    continue;
                }
                described.merge(parameter.getName(), 1, Integer::sum);
                if (blank(parameter.getDescription())) {
                    problems.add(key + " ?" + parameter.getName() + ": no description");
                }
                if (ENUMERATED_PARAMETERS.contains(parameter.getName())
                        && (parameter.getSchema() == null || enumOf(parameter.getSchema()).isEmpty())) {
                    problems.add(key + " ?" + parameter.getName() + ": no allowed values");
                }
            }
        });
        assertThat(problems).isEmpty();
        assertThat(described).containsKeys("limit", "cursor", "order", "status", "direction", "number", "force");
        assertThat(enumOf(queryParameter("GET", "/v1/messages", "order").getSchema())).containsExactly("desc", "asc");
        assertThat(queryParameter("GET", "/v1/calls", "order").getSchema().getDefault()).isEqualTo("desc");
        assertThat(enumOf(queryParameter("GET", "/v1/messages", "direction").getSchema()))
                .containsExactly("inbound", "outbound");
        assertThat(enumOf(queryParameter("GET", "/v1/calls", "status").getSchema())).contains("in-progress",
                "no-answer");
        assertThat(enumOf(queryParameter("GET", "/v1/events", "type").getSchema()))
                .containsExactlyElementsOf(EventTypes.NAMES);
        Schema<?> limit = queryParameter("GET", "/v1/agents", "limit").getSchema();
        assertThat(limit.getMinimum()).isEqualByComparingTo("1");
        assertThat(limit.getMaximum()).isEqualByComparingTo(String.valueOf(PageRequest.MAX_LIMIT));
    }

    /** The fields of a response that take one of a few values list them: statuses, directions, reasons. */
    @Test
    void responseSchemasListTheValuesOfTheirEnumeratedFields() {
        assertThat(enumOf(property("MessageView", "direction"))).containsExactly("inbound", "outbound");
        assertThat(enumOf(property("MessageView", "status"))).contains("queued", "delivered", "received", "read");
        assertThat(enumOf(property("MessageView", "encoding"))).containsExactly("GSM-7", "UCS-2");
        assertThat(enumOf(property("CallView", "direction"))).containsExactly("inbound", "outbound");
        assertThat(enumOf(property("CallView", "status"))).containsExactly("queued", "initiated", "ringing",
                "in-progress", "completed", "busy", "no-answer", "failed", "canceled");
        assertThat(enumOf(property("CallView", "transferStatus"))).contains("dialing", "connected", "failed");
        assertThat(enumOf(property("CallView", "skipReason"))).contains("do_not_contact");
        assertThat(enumOf(property("BatchView", "status"))).containsExactly("running", "paused", "canceled",
                "finished");
        assertThat(enumOf(property("DoNotContactView", "source"))).containsExactly("stop", "api");
    }

    private static Parameter queryParameter(String method, String path, String name) {
        Operation operation = operation(method, path);
        assertThat(operation).as(method + " " + path).isNotNull();
        return operation.getParameters().stream().filter(p -> "query".equals(p.getIn()) && name.equals(p.getName()))
                .findFirst().orElseThrow(() -> new AssertionError(method + " " + path + " has no ?" + name));
    }

    /**
     * Every route mounted under {@code /twilio} (each is built from a {@link WebhookEndpoint}) is documented as
     * Twilio-facing: signed by Twilio, form bodies, no bearer scheme, its path parameter declared.
     */
    @Test
    void theTwilioWebhooksAreDocumentedAsTwilioFacing() {
        for (WebhookEndpoint endpoint : WebhookEndpoint.values()) {
            String path = endpoint.pathParameter() == null ? endpoint.path()
                    : endpoint.path("{" + endpoint.pathParameter() + "}");
            Operation operation = operation("POST", path);
            assertThat(operation).as(path).isNotNull();
            assertThat(operation.getTags()).as(path).containsExactly("Twilio webhooks");
            assertThat(operation.getSecurity()).as(path).isEmpty();
            assertThat(operation.getParameters()).as(path).anySatisfy(p -> assertThat(
                    p.get$ref() == null ? p.getName() : p.get$ref()).contains("TwilioSignature"));
            if (endpoint.pathParameter() != null) {
                assertThat(operation.getParameters()).as(path).anySatisfy(p -> {
                    assertThat(p.getName()).isEqualTo(endpoint.pathParameter());
                    assertThat(p.getIn()).isEqualTo("path");
                });
            }
            assertThat(operation.getRequestBody().getContent()).as(path)
                    .containsKey("application/x-www-form-urlencoded");
            assertThat(operation.getResponses()).as(path).containsKeys("200", "403");
        }
    }

    /** The schema a property refers to, directly or as the one member of an {@code allOf}; null when inline. */
    private static String refOf(Schema<?> schema) {
        if (schema.get$ref() != null || schema.getAllOf() == null || schema.getAllOf().size() != 1) {
            return schema.get$ref();
        }
        return ((Schema<?>) schema.getAllOf().get(0)).get$ref();
    }

    private static List<Object> enumOf(Schema<?> schema) {
        return schema.getEnum() == null ? List.of() : List.copyOf(schema.getEnum());
    }

    private static Schema<?> property(String schema, String name) {
        Schema<?> property = (Schema<?>) document.getComponents().getSchemas().get(schema).getProperties().get(name);
        assertThat(property).as(schema + "." + name).isNotNull();
        return property;
    }

    private static boolean carriesApiError(ApiResponse reference) {
        ApiResponse response = reference.get$ref() == null ? reference
                : document.getComponents().getResponses()
                        .get(reference.get$ref().substring("#/components/responses/".length()));
        if (response == null) {
            return false;
        }
        var content = response.getContent() == null ? null : response.getContent().get("application/json");
        return content != null && content.getSchema() != null && API_ERROR_REF.equals(content.getSchema().get$ref());
    }

    private static Map<String, Operation> v1Operations() {
        var operations = new TreeMap<String, Operation>();
        document.getPaths().forEach((path, item) -> {
            if (path.startsWith("/v1/")) {
                item.readOperationsMap().forEach((method, op) -> operations.put(method + " " + path, op));
            }
        });
        return operations;
    }

    private static Operation operation(String method, String path) {
        PathItem item = document.getPaths().get(path);
        return item == null ? null : item.readOperationsMap().get(PathItem.HttpMethod.valueOf(method));
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    /** One JAX-RS method of a resource class, with what it answers on success and the schemes it accepts. */
    record Route(String method, String path, Set<String> successes, Set<String> schemes) {
    }

    private static Map<String, Route> routes() {
        var routes = new TreeMap<String, Route>();
        for (Class<?> resource : resourceClasses()) {
            String base = resource.getAnnotation(Path.class).value();
            for (Method method : resource.getDeclaredMethods()) {
                String http = httpMethod(method);
                if (http == null) {
                    continue;
                }
                Path sub = method.getAnnotation(Path.class);
                String path = template(base + (sub == null ? "" : "/" + sub.value()));
                if (!path.startsWith("/v1/")) {
                    continue;
                }
                String key = http + " " + path;
                routes.put(key, new Route(http, path, successes(key, method), schemes(resource, method)));
            }
        }
        return routes;
    }

    private static Set<String> successes(String key, Method method) {
        if (BUILT_STATUSES.containsKey(key)) {
            return BUILT_STATUSES.get(key);
        }
        assertThat(method.getReturnType()).as(key + " builds its status: list it in BUILT_STATUSES")
                .isNotIn(RestResponse.class, jakarta.ws.rs.core.Response.class);
        ResponseStatus status = method.getAnnotation(ResponseStatus.class);
        if (status != null) {
            return Set.of(String.valueOf(status.value()));
        }
        boolean empty = method.getGenericReturnType() instanceof ParameterizedType type
                && type.getActualTypeArguments()[0] == Void.class;
        return Set.of(empty || method.getReturnType() == void.class ? "204" : "200");
    }

    private static Set<String> schemes(Class<?> resource, Method method) {
        OperatorAccess access = method.getAnnotation(OperatorAccess.class);
        if (access == null) {
            access = resource.getAnnotation(OperatorAccess.class);
        }
        if (access == null) {
            return Set.of(API_KEY);
        }
        return access.orOrganization() ? Set.of(ADMIN_TOKEN, API_KEY) : Set.of(ADMIN_TOKEN);
    }

    private static String httpMethod(Method method) {
        for (Annotation annotation : method.getAnnotations()) {
            HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    /** {@code /v1/x//{id: [0-9]+}/} as the document writes it: {@code /v1/x/{id}}. */
    private static String template(String path) {
        String clean = path.replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/");
        return clean.length() > 1 && clean.endsWith("/") ? clean.substring(0, clean.length() - 1) : clean;
    }

    /** The classes of {@code src/main} with a {@code @Path}, found in the compiled output. */
    private static List<Class<?>> resourceClasses() {
        var root = java.nio.file.Path.of("target/classes");
        try (Stream<java.nio.file.Path> files = Files.walk(root.resolve("io/switchboard"))) {
            List<Class<?>> resources = new ArrayList<>();
            for (var file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String name = root.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
                if (type.isAnnotationPresent(Path.class)) {
                    resources.add(type);
                }
            }
            assertThat(resources).hasSizeGreaterThan(10);
            return resources;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
