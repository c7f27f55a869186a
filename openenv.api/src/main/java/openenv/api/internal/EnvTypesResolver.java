package openenv.api.internal;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import openenv.api.Environment;
import openenv.api.EnvTypes;

/** Finds the action, observation and state classes an environment class declares for {@link Environment}. */
public final class EnvTypesResolver {

    private EnvTypesResolver() {
    }

    /** The three type arguments of {@code Environment<A, O, S>} as implemented by {@code type}, if concrete. */
    public static Optional<EnvTypes<?, ?, ?>> resolve(Class<?> type) {
        return Optional.ofNullable(search(type, new HashMap<>()));
    }

    private static EnvTypes<?, ?, ?> search(Type type, Map<TypeVariable<?>, Type> bindings) {
        Class<?> raw;
        if (type instanceof ParameterizedType parameterized) {
            raw = (Class<?>) parameterized.getRawType();
            TypeVariable<?>[] variables = raw.getTypeParameters();
            Type[] arguments = parameterized.getActualTypeArguments();
            Map<TypeVariable<?>, Type> next = new HashMap<>(bindings);
            for (int i = 0; i < variables.length; i++) {
                next.put(variables[i], substitute(arguments[i], bindings));
            }
            bindings = next;
            if (raw == Environment.class) {
                Class<?> a = asClass(bindings.get(variables[0]));
                Class<?> o = asClass(bindings.get(variables[1]));
                Class<?> s = asClass(bindings.get(variables[2]));
                return a == null || o == null || s == null ? null : EnvTypes.ofUnchecked(a, o, s);
            }
        } else if (type instanceof Class<?> c) {
            raw = c;
        } else {
            return null;
        }
        for (Type parent : raw.getGenericInterfaces()) {
            EnvTypes<?, ?, ?> found = search(parent, bindings);
            if (found != null) {
                return found;
            }
        }
        Type superclass = raw.getGenericSuperclass();
        return superclass == null ? null : search(superclass, bindings);
    }

    private static Type substitute(Type type, Map<TypeVariable<?>, Type> bindings) {
        return type instanceof TypeVariable<?> variable && bindings.containsKey(variable) ? bindings.get(variable) : type;
    }

    private static Class<?> asClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> c) {
            return c;
        }
        return null;
    }
}
