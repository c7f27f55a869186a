package openenv.json;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import openenv.api.ConfigurationException;

/**
 * The supported Java types of record components, resolved once from their generic {@link Type}s; both the
 * binder and the schema writer are built from shapes, so they support exactly the same types.
 */
sealed interface Shape {

    /** Scalars: their JSON type and Java representation. */
    enum Scalar implements Shape { STRING, INT, LONG, DOUBLE, FLOAT, BOOLEAN, ANY }

    /** A Java enum, written and read by {@code name()}. */
    record EnumShape(Class<?> type) implements Shape {
    }

    /** A nested record. */
    record RecordShape(Class<?> type) implements Shape {
    }

    /** {@code List<T>}. */
    record ListShape(Shape element) implements Shape {
    }

    /** {@code T[]}, including primitive arrays and arrays of arrays. */
    record ArrayShape(Class<?> componentType, Shape element) implements Shape {
    }

    /** {@code Map<String, T>}. */
    record MapShape(Shape value) implements Shape {
    }

    /** {@code Optional<T>}: absent or null is empty. */
    record OptionalShape(Shape inner) implements Shape {
    }

    /** {@code OptionalInt}, {@code OptionalLong}, {@code OptionalDouble}: inner is INT, LONG or DOUBLE. */
    record OptionalPrimitive(Scalar inner) implements Shape {
    }

    String SUPPORTED = "String, int/Integer, long/Long, double/Double, float/Float, boolean/Boolean, enums, records, "
            + "List<T>, Map<String,T>, arrays, Optional<T>, OptionalInt, OptionalLong, OptionalDouble and Object";

    /** Resolves {@code type}; {@code where} names the component for the error message. */
    static Shape of(Type type, String where) {
        if (type instanceof Class<?> c) {
            return ofClass(c, where);
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
            Type[] args = p.getActualTypeArguments();
            if (raw == List.class) {
                return new ListShape(of(args[0], where));
            }
            if (raw == Map.class) {
                Class<?> key = erase(args[0]);
                if (key != String.class && key != Object.class) {
                    throw unsupported(type, where, "JSON object keys are strings: use Map<String, T>");
                }
                return new MapShape(of(args[1], where));
            }
            if (raw == Optional.class) {
                return new OptionalShape(of(args[0], where));
            }
            return ofClass(raw, where);
        }
        if (type instanceof GenericArrayType g) {
            Shape element = of(g.getGenericComponentType(), where);
            return new ArrayShape(erase(g.getGenericComponentType()), element);
        }
        if (type instanceof WildcardType w) {
            return of(w.getUpperBounds()[0], where);
        }
        if (type instanceof TypeVariable<?> v) {
            return of(v.getBounds()[0], where);
        }
        throw unsupported(type, where, null);
    }

    private static Shape ofClass(Class<?> c, String where) {
        if (c == String.class) {
            return Scalar.STRING;
        }
        if (c == int.class || c == Integer.class) {
            return Scalar.INT;
        }
        if (c == long.class || c == Long.class) {
            return Scalar.LONG;
        }
        if (c == double.class || c == Double.class) {
            return Scalar.DOUBLE;
        }
        if (c == float.class || c == Float.class) {
            return Scalar.FLOAT;
        }
        if (c == boolean.class || c == Boolean.class) {
            return Scalar.BOOLEAN;
        }
        if (c == Object.class) {
            return Scalar.ANY;
        }
        if (c.isEnum()) {
            return new EnumShape(c);
        }
        if (c.isRecord()) {
            return new RecordShape(c);
        }
        if (c.isArray()) {
            return new ArrayShape(c.getComponentType(), ofClass(c.getComponentType(), where));
        }
        if (c == List.class) {
            return new ListShape(Scalar.ANY);
        }
        if (c == Map.class) {
            return new MapShape(Scalar.ANY);
        }
        if (c == Optional.class) {
            return new OptionalShape(Scalar.ANY);
        }
        if (c == OptionalInt.class) {
            return new OptionalPrimitive(Scalar.INT);
        }
        if (c == OptionalLong.class) {
            return new OptionalPrimitive(Scalar.LONG);
        }
        if (c == OptionalDouble.class) {
            return new OptionalPrimitive(Scalar.DOUBLE);
        }
        throw unsupported(c, where, null);
    }

    private static Class<?> erase(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return erase(p.getRawType());
        }
        if (type instanceof GenericArrayType g) {
            return erase(g.getGenericComponentType()).arrayType();
        }
        if (type instanceof WildcardType w) {
            return erase(w.getUpperBounds()[0]);
        }
        if (type instanceof TypeVariable<?> v) {
            return erase(v.getBounds()[0]);
        }
        return Object.class;
    }

    private static ConfigurationException unsupported(Type type, String where, String hint) {
        return new ConfigurationException("The JSON codec cannot map " + where + " of type " + type.getTypeName()
                + (hint == null ? "" : " (" + hint + ")") + ". Supported component types: " + SUPPORTED + ".");
    }

    /** Whether a component of this shape may be absent (it is then empty). */
    default boolean optional() {
        return this instanceof OptionalShape || this instanceof OptionalPrimitive;
    }
}
