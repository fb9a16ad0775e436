package io.switchboard.tenant;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@code /v1} endpoint the operator calls with {@code ADMIN_TOKEN}. Every other {@code /v1} endpoint takes an
 * organization's API key.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface OperatorAccess {

    /** Whether an organization's API key is accepted too. */
    boolean orOrganization() default false;
}
