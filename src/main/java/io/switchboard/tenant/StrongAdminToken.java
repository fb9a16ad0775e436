package io.switchboard.tenant;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * {@code ADMIN_TOKEN}, the one credential that creates organizations and issues their keys, must not be guessable
 * (see {@link AdminTokens#weakness}) unless {@code allow-weak-token}: checked with the configuration, so the service
 * stops at once, before it reaches the database.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = StrongAdminToken.Validator.class)
public @interface StrongAdminToken {

    String message() default "ADMIN_TOKEN (switchboard.admin.token) is too weak";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<StrongAdminToken, AdminConfig> {
        @Override
        public boolean isValid(AdminConfig config, ConstraintValidatorContext context) {
            if (config == null || config.allowWeakToken()) {
                return true;
            }
            var weakness = AdminTokens.weakness(config.token());
            if (weakness.isEmpty()) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(AdminTokens.message(weakness.get()).replace("{", "\\{")
                    .replace("$", "\\$")).addConstraintViolation();
            return false;
        }
    }
}
