package io.switchboard.common;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.JsonNodeDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;

/**
 * Request bodies are read strictly: an unknown field (often a misspelt one, such as a secret under the wrong name),
 * a value of the wrong type, a field given twice or a string carrying NUL is a 400 naming the field, rather than
 * something silently dropped, converted, or left for PostgreSQL to refuse (its text cannot hold NUL, and that refusal
 * must not reach the caller as the database being unavailable).
 */
@Singleton
public class StrictJson implements ObjectMapperCustomizer {

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Every string of a body is read by one of these two: a field of a record, or a node of a raw tree (patches).
        var strictText = new SimpleModule("switchboard-strict-text");
        refuseNul(strictText, String.class, StringDeserializer.instance);
        refuseNul(strictText, JsonNode.class, JsonNodeDeserializer.getDeserializer(JsonNode.class));
        mapper.registerModule(strictText);
    }

    /** Reads {@code type} as {@code standard} does, refusing NUL in what it read. */
    @SuppressWarnings({ "unchecked", "rawtypes" })
    private static <T> void refuseNul(SimpleModule module, Class<T> type, JsonDeserializer<? extends T> standard) {
        module.addDeserializer(type, (JsonDeserializer<T>) (JsonDeserializer) new NoNul(standard));
    }

    /** A string, or a string anywhere in a tree, that carries U+0000; the path names where. */
    static final class NulCharacter extends MismatchedInputException {

        NulCharacter(JsonParser parser) {
            super(parser, "a string carries U+0000");
        }
    }

    /**
     * The field {@link JsonParser.Feature#STRICT_DUPLICATE_DETECTION} found twice, as a path such as
     * {@code routing.type}, if that is what {@code failure} (or its cause) reports.
     */
    static Optional<String> duplicateField(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof JsonParseException e && e.getProcessor() != null) {
                JsonStreamContext context = e.getProcessor().getParsingContext();
                String name = context == null ? null : context.getCurrentName();
                // The parser's own words for a duplicate, built the way it builds them: nothing else says which it is.
                if (name != null && ("Duplicate field '" + name + "'").equals(e.getOriginalMessage())) {
                    return Optional.of(path(context));
                }
            }
        }
        return Optional.empty();
    }

    private static String path(JsonStreamContext context) {
        var parts = new ArrayDeque<String>();
        for (var c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.addFirst("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.getCurrentName() != null) {
                parts.addFirst("." + c.getCurrentName());
            }
        }
        String path = String.join("", parts);
        return path.startsWith(".") ? path.substring(1) : path;
    }

    /** Reads as the standard deserializer does, then refuses NUL in what it read. */
    private static final class NoNul extends DelegatingDeserializer {

        NoNul(JsonDeserializer<?> standard) {
            super(standard);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegatee) {
            return new NoNul(delegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            if (value instanceof String text) {
                if (text.indexOf('\0') >= 0) {
                    throw new NulCharacter(p);
                }
            } else if (value instanceof JsonNode node) {
                refuseNul(p, node);
            }
            return value;
        }

        /** Walks the tree; the exception carries the path from this node down to the string. */
        private static void refuseNul(JsonParser p, JsonNode node) throws JsonMappingException {
            if (node.isTextual()) {
                if (node.textValue().indexOf('\0') >= 0) {
                    throw new NulCharacter(p);
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    try {
                        refuseNul(p, node.get(i));
                    } catch (NulCharacter e) {
                        e.prependPath(node, i);
                        throw e;
                    }
                }
            } else if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    try {
                        if (field.getKey().indexOf('\0') >= 0) {
                            throw new NulCharacter(p);
                        }
                        refuseNul(p, field.getValue());
                    } catch (NulCharacter e) {
                        e.prependPath(node, field.getKey());
                        throw e;
                    }
                }
            }
        }
    }
}
