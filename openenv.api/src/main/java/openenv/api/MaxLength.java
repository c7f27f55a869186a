package openenv.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Constraint on a string (code points) or list component of an action record; checked when actions are decoded
 * (pydantic error type {@code string_too_long}) and published in {@code /schema}
 * as {@code maxLength}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface MaxLength {
    /** The bound, inclusive. */
    int value();
}
