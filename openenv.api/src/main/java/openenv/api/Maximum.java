package openenv.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Inclusive upper bound on a numeric component of an action record; checked when actions are decoded
 * (pydantic error type {@code less_than_equal}) and published in {@code /schema} as {@code maximum}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.RECORD_COMPONENT, ElementType.FIELD, ElementType.PARAMETER, ElementType.METHOD})
public @interface Maximum {
    /** The bound, inclusive. */
    double value();
}
