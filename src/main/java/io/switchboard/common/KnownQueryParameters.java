package io.switchboard.common;

import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.RestQuery;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses a {@code /v1} request that carries a query parameter its operation does not declare, with a 400 naming
 * each one: a misspelt filter ({@code ?stauts=failed}) would otherwise be ignored and answer a list that looks right,
 * as an unknown body field would were bodies not strict ({@link StrictJson}). The declared names are read from the
 * resource method itself, once per method, so a new parameter is known as soon as it is written. {@code /twilio} and
 * {@code /q} are not JAX-RS resources and never pass here; Twilio adds parameters to its requests as it likes.
 */
public class KnownQueryParameters {

    /** Longer names are cut in the answer: they are the caller's own input, but need not come back whole. */
    private static final int NAME_SHOWN = 64;

    private final Map<Method, Set<String>> declared = new ConcurrentHashMap<>();

    /** After authentication: an unauthenticated caller learns nothing of an operation's parameters. */
    @ServerRequestFilter(priority = Priorities.USER)
    public Response refuseUnknown(ContainerRequestContext request, ResourceInfo resource) {
        if (!request.getUriInfo().getPath().startsWith("/v1/")) {
            return null;
        }
        Method method = resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        var names = request.getUriInfo().getQueryParameters(true).keySet();
        if (names.isEmpty()) {
            return null;
        }
        Set<String> known = declared.computeIfAbsent(method, m -> declaredBy(resource.getResourceClass(), m));
        var unknown = new TreeSet<String>();
        for (String name : names) {
            if (!known.contains(name)) {
                unknown.add(name.length() > NAME_SHOWN ? name.substring(0, NAME_SHOWN) + "…" : name);
            }
        }
        if (unknown.isEmpty()) {
            return null;
        }
        String accepted = "unknown query parameter; this operation takes "
                + (known.isEmpty() ? "none" : String.join(", ", new TreeSet<>(known)));
        return ApiException.invalid(unknown.stream().map(name -> new ApiError.FieldError(name, accepted)).toList())
                .toBody().toResponse(400);
    }

    /** The query parameters of the method's parameters, of its {@code @BeanParam}s, and of the resource's fields. */
    static Set<String> declaredBy(Class<?> resource, Method method) {
        var names = new TreeSet<String>();
        for (Parameter parameter : method.getParameters()) {
            add(names, parameter, parameter.getName());
            if (parameter.isAnnotationPresent(BeanParam.class)) {
                fields(names, parameter.getType());
            }
        }
        if (resource != null) {
            fields(names, resource);
        }
        return Set.copyOf(names);
    }

    private static void fields(Set<String> names, Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                add(names, field, field.getName());
                if (field.isAnnotationPresent(BeanParam.class)) {
                    fields(names, field.getType());
                }
            }
        }
    }

    private static void add(Set<String> names, AnnotatedElement element, String javaName) {
        for (Annotation annotation : element.getAnnotations()) {
            if (annotation instanceof QueryParam query) {
                names.add(query.value());
            } else if (annotation instanceof RestQuery query) {
                names.add(query.value().isEmpty() ? javaName : query.value());
            }
        }
    }
}
