package io.switchboard.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The {@code arguments} object of an action, read by name; a wrong one is an {@link ActionError} naming it. */
public final class Arguments {

    private final JsonNode object;

    Arguments(JsonNode object) {
        this.object = object;
    }

    /**
     * Refuses an argument the action does not take (often a misspelt one, which would otherwise be dropped silently).
     */
    public Arguments only(Set<String> names) {
        List<String> unknown = new ArrayList<>();
        object.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                unknown.add(name);
            }
        });
        if (!unknown.isEmpty()) {
            throw ActionError.invalidArgument(unknown.get(0), "is not an argument of this action");
        }
        return this;
    }

    /** A string argument that must be there. */
    public String required(String name) {
        String value = optional(name);
        if (value == null || value.isBlank()) {
            throw ActionError.invalidArgument(name, "is required");
        }
        return value;
    }

    /** A string argument, or null when absent or null. */
    public String optional(String name) {
        JsonNode value = object.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw ActionError.invalidArgument(name, "must be a string");
        }
        return value.textValue();
    }
}
