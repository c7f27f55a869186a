package openenv.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inclusive lower bound on a numeric component of an action record; checked when actions are decoded
 * (pydantic error type {@code greater_than_equal}) and published in {@code /schema} as {@code minimum}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Minimum {
    /** The bound, inclusive. */
    double value();
}
