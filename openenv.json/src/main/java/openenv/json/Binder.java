package openenv.json;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import openenv.api.MaxLength;
import openenv.api.Maximum;
import openenv.api.MinLength;
import openenv.api.Minimum;
import openenv.api.ValidationProblem;

/**
 * Builds records from trees. Each record type gets one precompiled {@link RecordBinder}: a reader per component,
 * built from its {@link Shape} and constraints, plus the constructor handle; binding then does no reflection.
 *
 * <p>Coercions follow pydantic v2's default (lax) mode for Python inputs: an int accepts integral floats
 * ({@code 5.0}), booleans and integer strings ({@code "5"}, {@code " 5 "}, {@code "1_000"}, {@code "5.00"}); a
 * float accepts ints, booleans and number strings ({@code "1.5"}, {@code "inf"}); a bool accepts 0/1 and the
 * strings {@code true/false, yes/no, on/off, t/f, y/n, 1/0} in any case; strings, enums, lists and
 * dictionaries are never coerced. Java {@code int} and {@code long} also reject values outside their range
 * ({@code less_than_equal}/{@code greater_than_equal} with the type's bound), which pydantic's unbounded int
 * cannot meet.
 */
final class Binder {

    private Binder() {
    }

    /** Returned by a reader whose input had problems (they were added to the context). */
    static final Object INVALID = new Object();

    private static final ClassValue<RecordBinder> BINDERS = new ClassValue<>() {
        @Override
        protected RecordBinder computeValue(Class<?> type) {
            return new RecordBinder(RecordInfo.of(type));
        }
    };

    static RecordBinder forType(Class<?> type) {
        return BINDERS.get(type);
    }

    /** Collects problems and tracks the location of the value being read. */
    static final class Context {
        final boolean strict;
        final List<ValidationProblem> problems = new ArrayList<>();
        private Object[] path = new Object[8];
        private int depth;

        Context(boolean strict) {
            this.strict = strict;
        }

        void push(Object key) {
            if (depth == path.length) {
                path = java.util.Arrays.copyOf(path, depth * 2);
            }
            path[depth++] = key;
        }

        void pop() {
            path[--depth] = null;
        }

        List<Object> loc() {
            return List.of(java.util.Arrays.copyOf(path, depth));
        }

        Object problem(String type, String msg, Object input) {
            problems.add(ValidationProblem.of(type, loc(), msg, input));
            return INVALID;
        }

        Object problem(String type, String msg, Object input, Map<String, Object> ctx) {
            problems.add(new ValidationProblem(type, loc(), msg, input, ctx));
            return INVALID;
        }
    }

    /** Reads one tree value into its Java form, or reports problems and returns {@link #INVALID}. */
    interface Reader {
        Object read(Object input, Context ctx);
    }

    /** Constraints from the component's annotations; apply to the component's own value (or an Optional's). */
    record Constraints(MinLength minLength, MaxLength maxLength, Minimum minimum, Maximum maximum) {
        static final Constraints NONE = new Constraints(null, null, null, null);

        static Constraints of(RecordInfo.Component c) {
            return new Constraints(c.minLength(), c.maxLength(), c.minimum(), c.maximum());
        }
    }

    /** The binder of one record type. */
    static final class RecordBinder {
        private final RecordInfo info;
        private final String[] keys;
        private final Reader[] readers;
        private final Object[] absent;
        private final boolean[] required;
        private final Set<String> known;
        private final boolean ignoreMetadata;
        private final String simpleName;

        RecordBinder(RecordInfo info) {
            this.info = info;
            int n = info.components.length;
            keys = new String[n];
            readers = new Reader[n];
            absent = new Object[n];
            required = new boolean[n];
            known = new HashSet<>();
            for (int i = 0; i < n; i++) {
                RecordInfo.Component c = info.components[i];
                keys[i] = c.wireName();
                known.add(c.wireName());
                Shape shape = Shape.of(c.genericType(),
                        "component '" + c.javaName() + "' of record " + info.type.getName());
                readers[i] = reader(shape, Constraints.of(c));
                required[i] = !shape.optional();
                absent[i] = emptyOf(shape);
            }
            ignoreMetadata = info.isAction && !known.contains("metadata");
            simpleName = info.type.getSimpleName();
        }

        String simpleName() {
            return simpleName;
        }

        /** Reads a record from {@code input}; non-map input is a {@code model_type} problem at the current loc. */
        Object read(Object input, Context ctx) {
            if (!(input instanceof Map<?, ?> map)) {
                return ctx.problem("model_type", "Input should be a valid dictionary or instance of " + simpleName,
                        input, Map.of("class_name", simpleName));
            }
            int n = keys.length;
            Object[] args = new Object[n];
            boolean ok = true;
            int matched = 0;
            for (int i = 0; i < n; i++) {
                Object raw = map.get(keys[i]);
                if (raw == null && !map.containsKey(keys[i])) {
                    if (required[i]) {
                        ctx.push(keys[i]);
                        ctx.problem("missing", "Field required", input);
                        ctx.pop();
                        ok = false;
                    } else {
                        args[i] = absent[i];
                    }
                    continue;
                }
                matched++;
                ctx.push(keys[i]);
                Object value = readers[i].read(raw, ctx);
                ctx.pop();
                if (value == INVALID) {
                    ok = false;
                } else {
                    args[i] = value;
                }
            }
            if (ctx.strict && matched < map.size()) {
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String key = String.valueOf(e.getKey());
                    if (!known.contains(key) && !(ignoreMetadata && key.equals("metadata"))) {
                        ctx.push(key);
                        ctx.problem("extra_forbidden", "Extra inputs are not permitted", e.getValue());
                        ctx.pop();
                        ok = false;
                    }
                }
            }
            if (!ok) {
                return INVALID;
            }
            try {
                return info.constructor.invokeExact(args);
            } catch (IllegalArgumentException e) {
                String detail = String.valueOf(e.getMessage());
                return ctx.problem("value_error", "Value error, " + detail, input, Map.of("error", detail));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("Constructor of " + info.type.getName() + " threw " + t, t);
            }
        }
    }

    private static Object emptyOf(Shape shape) {
        if (shape instanceof Shape.OptionalShape) {
            return Optional.empty();
        }
        if (shape instanceof Shape.OptionalPrimitive p) {
            return switch (p.inner()) {
                case INT -> OptionalInt.empty();
                case LONG -> OptionalLong.empty();
                default -> OptionalDouble.empty();
            };
        }
        return null;
    }

    static Reader reader(Shape shape, Constraints k) {
        if (shape instanceof Shape.Scalar s) {
            return switch (s) {
                case STRING -> stringReader(k);
                case INT -> new IntReader(Integer.MIN_VALUE, Integer.MAX_VALUE, true, k);
                case LONG -> new IntReader(Long.MIN_VALUE, Long.MAX_VALUE, false, k);
                case DOUBLE -> new FloatReader(false, k);
                case FLOAT -> new FloatReader(true, k);
                case BOOLEAN -> Binder::readBoolean;
                case ANY -> (input, ctx) -> input;
            };
        }
        if (shape instanceof Shape.EnumShape e) {
            return new EnumReader(e.type());
        }
        if (shape instanceof Shape.RecordShape r) {
            return new NestedRecordReader(r.type());
        }
        if (shape instanceof Shape.ListShape l) {
            return new ListReader(reader(l.element(), Constraints.NONE), k, null);
        }
        if (shape instanceof Shape.ArrayShape a) {
            return new ListReader(reader(a.element(), Constraints.NONE), k, a.componentType());
        }
        if (shape instanceof Shape.MapShape m) {
            return new MapReader(reader(m.value(), Constraints.NONE), k);
        }
        if (shape instanceof Shape.OptionalShape o) {
            Reader inner = reader(o.inner(), k);
            return (input, ctx) -> {
                if (input == null) {
                    return Optional.empty();
                }
                Object v = inner.read(input, ctx);
                return v == INVALID ? INVALID : Optional.of(v);
            };
        }
        Shape.OptionalPrimitive p = (Shape.OptionalPrimitive) shape;
        return switch (p.inner()) {
            case INT -> optionalPrimitive(new IntReader(Integer.MIN_VALUE, Integer.MAX_VALUE, true, k),
                    OptionalInt.empty(), v -> OptionalInt.of((Integer) v));
            case LONG -> optionalPrimitive(new IntReader(Long.MIN_VALUE, Long.MAX_VALUE, false, k),
                    OptionalLong.empty(), v -> OptionalLong.of((Long) v));
            default -> optionalPrimitive(new FloatReader(false, k), OptionalDouble.empty(),
                    v -> OptionalDouble.of((Double) v));
        };
    }

    private static Reader optionalPrimitive(Reader inner, Object empty, java.util.function.Function<Object, Object> wrap) {
        return (input, ctx) -> {
            if (input == null) {
                return empty;
            }
            Object v = inner.read(input, ctx);
            return v == INVALID ? INVALID : wrap.apply(v);
        };
    }

    // ---- strings

    private static Reader stringReader(Constraints k) {
        int min = k.minLength() == null ? -1 : k.minLength().value();
        int max = k.maxLength() == null ? -1 : k.maxLength().value();
        if (min < 0 && max < 0) {
            return (input, ctx) -> input instanceof String ? input
                    : ctx.problem("string_type", "Input should be a valid string", input);
        }
        return (input, ctx) -> {
            if (!(input instanceof String s)) {
                return ctx.problem("string_type", "Input should be a valid string", input);
            }
            // Python's len(): code points, not UTF-16 units. Only count when the UTF-16 length is not decisive.
            if (min >= 0 && s.length() < 2 * min) {
                int len = s.codePointCount(0, s.length());
                if (len < min) {
                    return ctx.problem("string_too_short", "String should have at least " + plural(min, "character"),
                            input, Map.of("min_length", min));
                }
            }
            if (max >= 0 && s.length() > max) {
                int len = s.codePointCount(0, s.length());
                if (len > max) {
                    return ctx.problem("string_too_long", "String should have at most " + plural(max, "character"),
                            input, Map.of("max_length", max));
                }
            }
            return s;
        };
    }

    static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    // ---- numbers

    private static final Pattern INT_STRING = Pattern.compile("[+-]?\\d+(?:_\\d+)*(?:\\.0+)?");
    private static final Pattern FLOAT_STRING = Pattern.compile(
            "[+-]?(?:\\d+(?:_\\d+)*(?:\\.(?:\\d+(?:_\\d+)*)?)?|\\.\\d+(?:_\\d+)*)(?:[eE][+-]?\\d+(?:_\\d+)*)?");
    private static final Pattern FLOAT_SPECIAL = Pattern.compile("[+-]?(?:inf|infinity|nan)",
            Pattern.CASE_INSENSITIVE);
    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);
    private static final double TWO_POW_63 = 0x1p63;

    /** Bounds from {@link Minimum}/{@link Maximum}, checked as pydantic's {@code ge}/{@code le}. */
    private static Object checkBounds(double value, Object result, Object input, Constraints k, Context ctx) {
        if (k.minimum() != null && !(value >= k.minimum().value())) {
            double ge = k.minimum().value();
            return ctx.problem("greater_than_equal", "Input should be greater than or equal to " + bound(ge), input,
                    Map.of("ge", boundValue(ge)));
        }
        if (k.maximum() != null && !(value <= k.maximum().value())) {
            double le = k.maximum().value();
            return ctx.problem("less_than_equal", "Input should be less than or equal to " + bound(le), input,
                    Map.of("le", boundValue(le)));
        }
        return result;
    }

    /** An integral bound prints without ".0" (as pydantic prints an int bound); others as Python floats. */
    static String bound(double b) {
        Object v = boundValue(b);
        return v instanceof Long ? v.toString() : PyFloats.repr(b);
    }

    static Object boundValue(double b) {
        if (b == Math.rint(b) && Math.abs(b) < TWO_POW_63) {
            return (long) b;
        }
        return b;
    }

    /** int and long components. */
    private static final class IntReader implements Reader {
        private final long min;
        private final long max;
        private final boolean isInt;
        private final Constraints k;

        IntReader(long min, long max, boolean isInt, Constraints k) {
            this.min = min;
            this.max = max;
            this.isInt = isInt;
            this.k = k;
        }

        @Override
        public Object read(Object input, Context ctx) {
            BigInteger big;
            if (input instanceof Long || input instanceof Integer || input instanceof Short || input instanceof Byte) {
                return accept(((Number) input).longValue(), input, ctx);
            } else if (input instanceof Double || input instanceof Float) {
                double d = ((Number) input).doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    return ctx.problem("finite_number", "Input should be a finite number", input);
                }
                if (d != Math.rint(d)) {
                    return fractional(input, ctx);
                }
                if (Math.abs(d) >= TWO_POW_63) {
                    return ctx.problem("int_parsing_size",
                            "Unable to parse input string as an integer, exceeded maximum size", input);
                }
                return accept((long) d, input, ctx);
            } else if (input instanceof BigInteger b) {
                big = b;
            } else if (input instanceof BigDecimal b) {
                if (b.signum() != 0 && b.stripTrailingZeros().scale() > 0) {
                    return fractional(input, ctx);
                }
                big = b.toBigInteger();
            } else if (input instanceof Boolean b) {
                return accept(b ? 1 : 0, input, ctx);
            } else if (input instanceof String s) {
                String t = s.strip();
                if (!INT_STRING.matcher(t).matches()) {
                    return ctx.problem("int_parsing",
                            "Input should be a valid integer, unable to parse string as an integer", input);
                }
                int dot = t.indexOf('.');
                big = new BigInteger((dot < 0 ? t : t.substring(0, dot)).replace("_", ""));
            } else {
                return ctx.problem("int_type", "Input should be a valid integer", input);
            }
            if (big.compareTo(LONG_MIN) < 0) {
                return outOfRange(min, input, ctx);
            }
            if (big.compareTo(LONG_MAX) > 0) {
                return outOfRange(max, input, ctx);
            }
            return accept(big.longValue(), input, ctx);
        }

        private static Object fractional(Object input, Context ctx) {
            return ctx.problem("int_from_float",
                    "Input should be a valid integer, got a number with a fractional part", input);
        }

        private Object accept(long v, Object input, Context ctx) {
            if (v < min || v > max) {
                return outOfRange(v < min ? min : max, input, ctx);
            }
            Object result = isInt ? (Object) (int) v : (Object) v;
            if (k.minimum() == null && k.maximum() == null) {
                return result;
            }
            return checkBounds(v, result, input, k, ctx);
        }

        private Object outOfRange(long bound, Object input, Context ctx) {
            return bound == min
                    ? ctx.problem("greater_than_equal", "Input should be greater than or equal to " + bound, input,
                            Map.of("ge", bound))
                    : ctx.problem("less_than_equal", "Input should be less than or equal to " + bound, input,
                            Map.of("le", bound));
        }
    }

    /** double and float components. */
    private static final class FloatReader implements Reader {
        private final boolean isFloat;
        private final Constraints k;

        FloatReader(boolean isFloat, Constraints k) {
            this.isFloat = isFloat;
            this.k = k;
        }

        @Override
        public Object read(Object input, Context ctx) {
            double d;
            if (input instanceof Double || input instanceof Long || input instanceof Integer
                    || input instanceof Float || input instanceof Short || input instanceof Byte) {
                d = ((Number) input).doubleValue();
            } else if (input instanceof BigInteger || input instanceof BigDecimal) {
                d = ((Number) input).doubleValue();
                if (Double.isInfinite(d)) {
                    return ctx.problem("float_type", "Input should be a valid number", input);
                }
            } else if (input instanceof Boolean b) {
                d = b ? 1.0 : 0.0;
            } else if (input instanceof String s) {
                String t = s.strip();
                if (FLOAT_STRING.matcher(t).matches()) {
                    d = Double.parseDouble(t.replace("_", ""));
                } else if (FLOAT_SPECIAL.matcher(t).matches()) {
                    boolean negative = t.charAt(0) == '-';
                    d = t.toLowerCase(java.util.Locale.ROOT).endsWith("nan") ? Double.NaN
                            : negative ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
                } else {
                    return ctx.problem("float_parsing",
                            "Input should be a valid number, unable to parse string as a number", input);
                }
            } else {
                return ctx.problem("float_type", "Input should be a valid number", input);
            }
            Object result = isFloat ? (Object) (float) d : (Object) d;
            if (k.minimum() == null && k.maximum() == null) {
                return result;
            }
            return checkBounds(d, result, input, k, ctx);
        }
    }

    // ---- booleans

    private static final Map<String, Boolean> BOOL_STRINGS = Map.ofEntries(
            Map.entry("0", false), Map.entry("off", false), Map.entry("f", false), Map.entry("false", false),
            Map.entry("n", false), Map.entry("no", false),
            Map.entry("1", true), Map.entry("on", true), Map.entry("t", true), Map.entry("true", true),
            Map.entry("y", true), Map.entry("yes", true));

    private static Object readBoolean(Object input, Context ctx) {
        if (input instanceof Boolean) {
            return input;
        }
        if (input instanceof Long || input instanceof Integer || input instanceof BigInteger) {
            long v = ((Number) input).longValue();
            if ((v == 0 || v == 1) && !(input instanceof BigInteger)) {
                return v == 1;
            }
            return boolParsing(input, ctx);
        }
        if (input instanceof Double || input instanceof Float) {
            double d = ((Number) input).doubleValue();
            if (d == 0.0 || d == 1.0) {
                return d == 1.0;
            }
            return d == Math.rint(d) ? boolParsing(input, ctx)
                    : ctx.problem("bool_type", "Input should be a valid boolean", input);
        }
        if (input instanceof String s) {
            Boolean b = BOOL_STRINGS.get(s.toLowerCase(java.util.Locale.ROOT));
            return b != null ? b : boolParsing(input, ctx);
        }
        return ctx.problem("bool_type", "Input should be a valid boolean", input);
    }

    private static Object boolParsing(Object input, Context ctx) {
        return ctx.problem("bool_parsing", "Input should be a valid boolean, unable to interpret input", input);
    }

    // ---- enums, records, containers

    private static final class EnumReader implements Reader {
        private final Map<String, Object> byName = new java.util.HashMap<>();
        private final String expected;

        EnumReader(Class<?> type) {
            Object[] constants = type.getEnumConstants();
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < constants.length; i++) {
                String name = ((Enum<?>) constants[i]).name();
                byName.put(name, constants[i]);
                if (i > 0) {
                    sb.append(i == constants.length - 1 ? " or " : ", ");
                }
                sb.append('\'').append(name).append('\'');
            }
            expected = sb.toString();
        }

        @Override
        public Object read(Object input, Context ctx) {
            Object v = input instanceof String s ? byName.get(s) : null;
            if (v != null) {
                return v;
            }
            return ctx.problem("enum", "Input should be " + expected, input, Map.of("expected", expected));
        }
    }

    /** Resolves the nested binder on first use, so recursive record types do not recurse while compiling. */
    private static final class NestedRecordReader implements Reader {
        private final Class<?> type;
        private RecordBinder binder;

        NestedRecordReader(Class<?> type) {
            this.type = type;
        }

        @Override
        public Object read(Object input, Context ctx) {
            RecordBinder b = binder;
            if (b == null) {
                b = forType(type);
                binder = b;   // benign race: every thread computes the same ClassValue entry
            }
            return b.read(input, ctx);
        }
    }

    /** Lists, and arrays when {@code arrayType} is set. */
    private static final class ListReader implements Reader {
        private final Reader element;
        private final int min;
        private final int max;
        private final Class<?> arrayType;

        ListReader(Reader element, Constraints k, Class<?> arrayType) {
            this.element = element;
            this.min = k.minLength() == null ? -1 : k.minLength().value();
            this.max = k.maxLength() == null ? -1 : k.maxLength().value();
            this.arrayType = arrayType;
        }

        @Override
        public Object read(Object input, Context ctx) {
            if (!(input instanceof List<?> list)) {
                return ctx.problem("list_type", "Input should be a valid list", input);
            }
            int n = list.size();
            Object[] values = new Object[n];
            boolean ok = true;
            int i = 0;
            for (Object item : list) {
                ctx.push(i);
                Object v = element.read(item, ctx);
                ctx.pop();
                if (v == INVALID) {
                    ok = false;
                }
                values[i++] = v;
            }
            if (!ok) {
                return INVALID;
            }
            if (min >= 0 && n < min) {
                return ctx.problem("too_short", "List should have at least " + plural(min, "item")
                        + " after validation, not " + n, input, lengthCtx("List", "min_length", min, n));
            }
            if (max >= 0 && n > max) {
                return ctx.problem("too_long", "List should have at most " + plural(max, "item")
                        + " after validation, not " + n, input, lengthCtx("List", "max_length", max, n));
            }
            return arrayType == null ? Collections.unmodifiableList(java.util.Arrays.asList(values))
                    : toArray(values);
        }

        private Object toArray(Object[] values) {
            int n = values.length;
            if (arrayType == int.class) {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Integer) values[i];
                }
                return a;
            }
            if (arrayType == long.class) {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Long) values[i];
                }
                return a;
            }
            if (arrayType == double.class) {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Double) values[i];
                }
                return a;
            }
            if (arrayType == float.class) {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Float) values[i];
                }
                return a;
            }
            if (arrayType == boolean.class) {
                boolean[] a = new boolean[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (Boolean) values[i];
                }
                return a;
            }
            Object[] a = (Object[]) Array.newInstance(arrayType, n);
            System.arraycopy(values, 0, a, 0, n);
            return a;
        }
    }

    static Map<String, Object> lengthCtx(String fieldType, String bound, int limit, int actual) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("field_type", fieldType);
        m.put(bound, limit);
        m.put("actual_length", actual);
        return m;
    }

    private static final class MapReader implements Reader {
        private final Reader value;
        private final int min;
        private final int max;

        MapReader(Reader value, Constraints k) {
            this.value = value;
            this.min = k.minLength() == null ? -1 : k.minLength().value();
            this.max = k.maxLength() == null ? -1 : k.maxLength().value();
        }

        @Override
        public Object read(Object input, Context ctx) {
            if (!(input instanceof Map<?, ?> map)) {
                return ctx.problem("dict_type", "Input should be a valid dictionary", input);
            }
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
            boolean ok = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = String.valueOf(e.getKey());
                ctx.push(key);
                Object v = value.read(e.getValue(), ctx);
                ctx.pop();
                if (v == INVALID) {
                    ok = false;
                } else {
                    out.put(key, v);
                }
            }
            if (!ok) {
                return INVALID;
            }
            int n = out.size();
            if (min >= 0 && n < min) {
                return ctx.problem("too_short", "Dictionary should have at least " + plural(min, "item")
                        + " after validation, not " + n, input, lengthCtx("Dictionary", "min_length", min, n));
            }
            if (max >= 0 && n > max) {
                return ctx.problem("too_long", "Dictionary should have at most " + plural(max, "item")
                        + " after validation, not " + n, input, lengthCtx("Dictionary", "max_length", max, n));
            }
            return Collections.unmodifiableMap(out);
        }
    }
}
