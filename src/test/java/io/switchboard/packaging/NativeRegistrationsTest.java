package io.switchboard.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.switchboard.common.ApiError;
import io.switchboard.twilio.NumberConfiguration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quarkus registers the types of REST signatures for the native image's reflection on its own; the types Jackson maps
 * outside them must say so, or they serialize as nothing (or fail) in the native image while every JVM test passes.
 */
class NativeRegistrationsTest {

    @Test
    void typesJacksonMapsOutsideRestSignaturesAreRegisteredForReflection() {
        // ApiError: the entity of every exception mapper and of the auth filter. NumberConfiguration: a number's
        // previous configuration, a JSON column.
        List<Class<?>> mapped = List.of(ApiError.class, NumberConfiguration.class);
        assertThat(mapped).allSatisfy(type -> assertThat(type.getAnnotation(RegisterForReflection.class))
                .as(type.getSimpleName()).isNotNull());
        // Nested types come with their enclosing one unless it says otherwise.
        assertThat(ApiError.class.getAnnotation(RegisterForReflection.class).ignoreNested()).isFalse();
    }
}
