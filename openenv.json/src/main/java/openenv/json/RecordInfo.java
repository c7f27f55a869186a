package openenv.json;

import com.fasterxml.jackson.core.io.SerializedString;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.Map;
import openenv.api.Action;
import openenv.api.ConfigurationException;
import openenv.api.Description;
import openenv.api.MaxLength;
import openenv.api.Maximum;
import openenv.api.MinLength;
import openenv.api.Minimum;

/**
 * What the codec knows about one record type, found once by reflection and cached: components with their wire
 * names, annotations and accessor handles, and the canonical constructor as a handle taking {@code Object[]}.
 */
final class RecordInfo {

    private static final ClassValue<RecordInfo> CACHE = new ClassValue<>() {
        @Override
        protected RecordInfo computeValue(Class<?> type) {
            return new RecordInfo(type);
        }
    };

    /** One record component. */
    record Component(String javaName, String wireName, SerializedString wireKey, Type genericType,
                     Class<?> rawType, MethodHandle getter, MinLength minLength, MaxLength maxLength,
                     Minimum minimum, Maximum maximum, Description description) {
    }

    final Class<?> type;
    final Component[] components;
    /** {@code (Object[]) -> Object}: the canonical constructor. */
    final MethodHandle constructor;
    /** Records implementing {@link Action} may carry a {@code metadata} key they do not declare. */
    final boolean isAction;

    private RecordInfo(Class<?> type) {
        if (!type.isRecord()) {
            throw new ConfigurationException(type.getName() + " is not a record; the JSON codec maps records only "
                    + "(declare it as `record " + type.getSimpleName() + "(...)`).");
        }
        this.type = type;
        this.isAction = Action.class.isAssignableFrom(type);
        MethodHandles.Lookup lookup = lookupFor(type);
        RecordComponent[] rcs = type.getRecordComponents();
        components = new Component[rcs.length];
        Class<?>[] rawTypes = new Class<?>[rcs.length];
        Map<String, String> seen = new HashMap<>();
        try {
            for (int i = 0; i < rcs.length; i++) {
                RecordComponent rc = rcs[i];
                String wire = Names.snakeCase(rc.getName());
                String clash = seen.put(wire, rc.getName());
                if (clash != null) {
                    throw new ConfigurationException("Record " + type.getName() + ": components '" + clash
                            + "' and '" + rc.getName() + "' both map to the JSON key '" + wire + "'; rename one.");
                }
                rawTypes[i] = rc.getType();
                MethodHandle getter = lookup.unreflect(rc.getAccessor())
                        .asType(MethodType.methodType(Object.class, Object.class));
                components[i] = new Component(rc.getName(), wire, new SerializedString(wire), rc.getGenericType(),
                        rc.getType(), getter, rc.getAnnotation(MinLength.class), rc.getAnnotation(MaxLength.class),
                        rc.getAnnotation(Minimum.class), rc.getAnnotation(Maximum.class),
                        rc.getAnnotation(Description.class));
            }
            constructor = lookup.findConstructor(type, MethodType.methodType(void.class, rawTypes))
                    .asSpreader(Object[].class, rawTypes.length)
                    .asType(MethodType.methodType(Object.class, Object[].class));
        } catch (IllegalAccessException e) {
            throw inaccessible(type, e);
        } catch (NoSuchMethodException e) {
            throw new ConfigurationException("Record " + type.getName() + " has no canonical constructor", e);
        }
    }

    static RecordInfo of(Class<?> type) {
        return CACHE.get(type);
    }

    /**
     * A lookup that may call the record's constructor and accessors: full access if the package is open to us
     * (always true on the class path and for our own tests), our own lookup if it is only exported to us.
     */
    private static MethodHandles.Lookup lookupFor(Class<?> type) {
        Module ours = RecordInfo.class.getModule();
        Module theirs = type.getModule();
        if (!ours.canRead(theirs)) {
            ours.addReads(theirs);
        }
        String pkg = type.getPackageName();
        try {
            if (theirs.isOpen(pkg, ours)) {
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            }
        } catch (IllegalAccessException e) {
            throw inaccessible(type, e);
        }
        if (theirs.isExported(pkg, ours)) {
            return MethodHandles.lookup();
        }
        throw inaccessible(type, null);
    }

    private static ConfigurationException inaccessible(Class<?> type, Exception cause) {
        Module theirs = type.getModule();
        String module = theirs.isNamed() ? "module " + theirs.getName() : "the unnamed module";
        String msg = "The JSON codec (module openenv.json) cannot read record " + type.getName() + " of " + module
                + ". Make the record and its canonical constructor public and add `exports " + type.getPackageName()
                + ";` (or `exports " + type.getPackageName() + " to openenv.json;`, or `opens`) to "
                + (theirs.isNamed() ? theirs.getName() : "its") + " module-info.java.";
        return cause == null ? new ConfigurationException(msg) : new ConfigurationException(msg, cause);
    }
}
