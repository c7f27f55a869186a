package openenv.json;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import openenv.api.StepResult;
import openenv.api.spi.Codec;
import openenv.api.spi.MalformedJsonException;
import openenv.api.spi.ValidationFailure;

/**
 * The codec: Jackson's streaming parser and generator for the bytes, {@link Binder} for records from trees,
 * {@link Schemas} for JSON Schema. See the module's README for the mapping rules.
 */
final class JacksonCodec implements Codec {

    static final JacksonCodec INSTANCE = new JacksonCodec();

    /**
     * Shared and thread-safe once configured. Reads NaN and Infinity as Python's json module does; writes
     * characters outside the BMP as raw 4-byte UTF-8 (not as two escaped surrogates) and control characters as
     * escapes with lower-case hex digits, like {@code json.dumps(..., ensure_ascii=False)}.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamReadFeature.USE_FAST_BIG_NUMBER_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .build();

    private JacksonCodec() {
    }

    // ------------------------------------------------------------------ parse

    @Override
    public Object parse(byte[] utf8) {
        Objects.requireNonNull(utf8, "utf8");
        Scratch scratch = Scratch.PER_THREAD.get();
        try {
            Object value = parseWithKeptParser(utf8, scratch);
            if (value != NOT_READ) {
                return value;
            }
        } finally {
            scratch.clear();
        }
        try (JsonParser p = FACTORY.createParser(utf8)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw malformed(utf8, null, null);
            }
            Object value = readValue(p, first, utf8, scratch);
            if (p.nextToken() != null) {
                throw malformed(utf8, null, null);
            }
            return value;
        } catch (JsonProcessingException e) {
            throw malformed(utf8, e, e.getLocation());
        } catch (IOException e) {
            throw malformed(utf8, e, null);
        } finally {
            scratch.clear();
        }
    }

    /**
     * The kept parser reached the end of its input inside the document: the document is truncated (or a fresh
     * parser is needed to tell). Thrown without a stack trace; the fresh parser reports the real error.
     */
    private static final class Incomplete extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final Incomplete INSTANCE = new Incomplete();

        private Incomplete() {
            super("input ended inside the document", null, false, false);
        }
    }

    /** What {@link #parseWithKeptParser} returns when the document needs the fresh parser. */
    private static final Object NOT_READ = new Object();

    /**
     * The common case, an object or array document of ordinary size, read with this thread's kept parser
     * ({@link Reusable}). Anything else (a scalar document, trailing content, malformed input, a value the
     * kept parser cannot finish without knowing the input ended) returns {@link #NOT_READ}; the fresh parser then
     * reads it again and gives the result or the error.
     */
    private static Object parseWithKeptParser(byte[] utf8, Scratch scratch) {
        Reusable kept;
        try {
            kept = Reusable.reader(FACTORY, utf8);
        } catch (IOException | RuntimeException e) {
            return NOT_READ;
        }
        if (kept == null) {
            return NOT_READ;
        }
        try {
            JsonParser p = kept.parser();
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT && first != JsonToken.START_ARRAY) {
                kept.readFailed();
                return NOT_READ;
            }
            Object value = readValue(p, first, utf8, scratch);
            if (p.nextToken() != JsonToken.NOT_AVAILABLE) {
                kept.readFailed();
                return NOT_READ;
            }
            kept.readDone();
            return value;
        } catch (IOException | RuntimeException e) {
            kept.readFailed();
            return NOT_READ;
        }
    }

    /**
     * Keys and values of the objects and arrays being read, innermost last, so each container is made at its
     * final size: a default LinkedHashMap has 16 slots for the two or three keys of a step message. One per
     * thread; parsing calls no user code, so it is never re-entered.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);
        Object[] items = new Object[32];
        int top;

        void push(Object item) {
            if (top == items.length) {
                items = java.util.Arrays.copyOf(items, top * 2);
            }
            items[top++] = item;
        }

        Map<String, Object> popMap(int base) {
            Map<String, Object> map = new LinkedHashMap<>((top - base) / 2 * 4 / 3 + 1);
            for (int i = base; i < top; i += 2) {
                map.put((String) items[i], items[i + 1]);
            }
            release(base);
            return map;
        }

        List<Object> popList(int base) {
            List<Object> list = new ArrayList<>(top - base);
            for (int i = base; i < top; i++) {
                list.add(items[i]);
            }
            release(base);
            return list;
        }

        private void release(int base) {
            java.util.Arrays.fill(items, base, top, null);
            top = base;
        }

        void clear() {
            release(0);
            if (items.length > 4096) {
                items = new Object[32]; // a huge document's stack is not kept
            }
        }
    }

    private static Object readValue(JsonParser p, JsonToken t, byte[] utf8, Scratch scratch) throws IOException {
        switch (t) {
            case START_OBJECT: {
                int base = scratch.top;
                String name;
                while ((name = p.nextFieldName()) != null) {
                    scratch.push(name);
                    scratch.push(readValue(p, p.nextToken(), utf8, scratch));
                }
                if (p.currentToken() != JsonToken.END_OBJECT) {
                    // the kept (non-blocking) parser ran out of input: nextFieldName() gives null for that too
                    throw Incomplete.INSTANCE;
                }
                return scratch.popMap(base);
            }
            case START_ARRAY: {
                int base = scratch.top;
                JsonToken next;
                while ((next = p.nextToken()) != JsonToken.END_ARRAY) {
                    scratch.push(readValue(p, next, utf8, scratch));
                }
                return scratch.popList(base);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? p.getBigIntegerValue() : (Object) p.getLongValue();
            case VALUE_NUMBER_FLOAT: {
                double d = p.getDoubleValue();
                if (!Double.isFinite(d) && !isPythonNonFinite(p.getText())) {
                    // Jackson also takes "+Infinity", "+INF"...; Python only NaN, Infinity, -Infinity, and
                    // numbers too large for a double (1e400). (The non-blocking parser's isNaN() is false for
                    // Infinity, so the text is what is checked.)
                    throw malformed(utf8, null, null);
                }
                return d;
            }
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case NOT_AVAILABLE:
                throw Incomplete.INSTANCE;
            default:
                throw malformed(utf8, null, null);
        }
    }

    private static boolean isPythonNonFinite(String text) {
        if (text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity")) {
            return true;
        }
        int first = text.startsWith("-") ? 1 : 0;
        return first < text.length() && text.charAt(first) >= '0' && text.charAt(first) <= '9';
    }

    /**
     * The error Python's json module would report. If the document is one Python accepts but Jackson refused
     * (a Jackson limit such as nesting depth), Jackson's own message and location are used.
     */
    private static MalformedJsonException malformed(byte[] utf8, Exception cause, JsonLocation where) {
        PyJsonErrors.Error error = PyJsonErrors.find(utf8);
        if (error != null) {
            return new MalformedJsonException(PyJsonErrors.pythonMessage(utf8, error), error.pos(), cause);
        }
        long bytePos = where == null ? 0 : Math.max(0, where.getByteOffset());
        long cp = 0;
        for (int i = 0; i < bytePos && i < utf8.length; i++) {
            if ((utf8[i] & 0xC0) != 0x80) {
                cp++;
            }
        }
        String msg = cause instanceof JsonProcessingException j ? j.getOriginalMessage()
                : cause != null ? String.valueOf(cause.getMessage()) : "Invalid JSON";
        return new MalformedJsonException(msg + " (char " + cp + ")", cp, cause);
    }

    // ------------------------------------------------------------------ write

    @Override
    public byte[] write(Object value) {
        return encode(value, null, null, null);
    }

    /**
     * Writes {@code value}, or with {@code result} the step result (see {@link #writeStepResult}), on this
     * thread's kept generator when it is free, else on a fresh one.
     */
    private static byte[] encode(Object value, StepResult<?> result, String messageType, Object id) {
        Reusable kept = keptWriter();
        if (kept != null) {
            try {
                writeRoot(kept.generator(), value, result, messageType, id);
                return kept.written();
            } catch (IOException e) {
                kept.writeFailed();
                throw cannotWrite(value, result, e);
            } catch (RuntimeException | Error e) {
                kept.writeFailed();
                throw e;
            }
        }
        BufferRecycler recycler = RECYCLERS.acquireAndLinkPooled();
        ByteArrayBuilder out = new ByteArrayBuilder(recycler);
        try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
            writeRoot(g, value, result, messageType, id);
        } catch (IOException e) {
            throw cannotWrite(value, result, e);
        }
        return bytes(out, recycler);
    }

    private static void writeRoot(JsonGenerator g, Object value, StepResult<?> result, String messageType, Object id)
            throws IOException {
        if (result == null) {
            writeValue(g, value);
        } else {
            writeStepResult(g, result, messageType, id);
        }
    }

    private static IllegalArgumentException cannotWrite(Object value, StepResult<?> result, IOException e) {
        String what = result == null ? describe(value) : "the step result of " + describe(result.observation());
        return new IllegalArgumentException("Cannot write " + what + " as JSON: " + e.getMessage(), e);
    }

    /** This thread's kept generator ({@link Reusable}), or null for a fresh one. */
    private static Reusable keptWriter() {
        try {
            return Reusable.writer(FACTORY);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Jackson's own per-thread buffer recyclers: the output builder's first block comes from there and goes back
     * after the copy, instead of a fresh 256-500 byte block (and its block list) per message.
     */
    private static final RecyclerPool<BufferRecycler> RECYCLERS = JsonRecyclerPools.threadLocalPool();

    private static byte[] bytes(ByteArrayBuilder out, BufferRecycler recycler) {
        try {
            return out.toByteArray();
        } finally {
            out.release();
            recycler.releaseToPool();
        }
    }

    /**
     * The same bytes as the default (a map envelope through {@link #write}), written straight to the generator:
     * no envelope or message maps per step.
     */
    @Override
    public byte[] writeStepResult(StepResult<?> result, String messageType, Object id) {
        return encode(null, result, messageType, id);
    }

    private static void writeStepResult(JsonGenerator g, StepResult<?> result, String messageType, Object id)
            throws IOException {
        if (messageType != null) {
            g.writeStartObject();
            g.writeStringField("type", messageType);
            g.writeFieldName("data");
        }
        g.writeStartObject();
        g.writeFieldName("observation");
        writeValue(g, result.observation());
        g.writeFieldName("reward");
        if (result.reward().isPresent()) {
            g.writeNumber(PyFloats.repr(result.reward().getAsDouble()));
        } else {
            g.writeNull();
        }
        g.writeBooleanField("done", result.done());
        if (!result.metadata().isEmpty()) {
            g.writeFieldName("metadata");
            writeValue(g, result.metadata());
        }
        if (result.truncated()) {
            g.writeBooleanField("terminated", result.terminated());
            g.writeBooleanField("truncated", true);
        }
        g.writeEndObject();
        if (messageType != null) {
            if (id != null) {
                g.writeFieldName("id");
                writeValue(g, id);
            }
            g.writeEndObject();
        }
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject(v, map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(key(e.getKey()));
                writeValue(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray(v, list.size());
            for (Object item : list) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double d) {
            g.writeNumber(PyFloats.repr(d));
        } else if (v instanceof Float f) {
            g.writeNumber(PyFloats.repr(f));
        } else if (v instanceof Record r) {
            RecordInfo info = RecordInfo.of(r.getClass());
            g.writeStartObject(v, info.components.length);
            for (RecordInfo.Component c : info.components) {
                g.writeFieldName(c.wireKey());
                writeValue(g, get(c, r));
            }
            g.writeEndObject();
        } else if (v instanceof Enum<?> e) {
            g.writeString(e.name());
        } else if (v instanceof Optional<?> o) {
            writeValue(g, o.orElse(null));
        } else if (v instanceof Iterable<?> items) {
            g.writeStartArray();
            for (Object item : items) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else if (v.getClass().isArray()) {
            writeArray(g, v);
        } else if (v instanceof BigInteger b) {
            g.writeNumber(b);
        } else if (v instanceof BigDecimal b) {
            g.writeNumber(b);
        } else if (v instanceof OptionalInt o) {
            writeValue(g, o.isPresent() ? (Object) o.getAsInt() : null);
        } else if (v instanceof OptionalLong o) {
            writeValue(g, o.isPresent() ? (Object) o.getAsLong() : null);
        } else if (v instanceof OptionalDouble o) {
            writeValue(g, o.isPresent() ? (Object) o.getAsDouble() : null);
        } else if (v instanceof Character || v instanceof CharSequence) {
            g.writeString(v.toString());
        } else if (v instanceof Number n) {
            writeValue(g, normalizeNumber(n));
        } else {
            throw unsupportedValue(v);
        }
    }

    private static void writeArray(JsonGenerator g, Object array) throws IOException {
        if (array instanceof int[] a) {
            g.writeArray(a, 0, a.length);
        } else if (array instanceof long[] a) {
            g.writeArray(a, 0, a.length);
        } else if (array instanceof double[] a) {
            g.writeStartArray(a, a.length);
            for (double d : a) {
                g.writeNumber(PyFloats.repr(d));
            }
            g.writeEndArray();
        } else if (array instanceof char[] a) {
            g.writeString(a, 0, a.length);
        } else if (array instanceof Object[] a) {
            g.writeStartArray(a, a.length);
            for (Object item : a) {
                writeValue(g, item);
            }
            g.writeEndArray();
        } else {
            // boolean[], float[], short[], byte[]: rare, boxed one by one.
            int n = java.lang.reflect.Array.getLength(array);
            g.writeStartArray(array, n);
            for (int i = 0; i < n; i++) {
                writeValue(g, java.lang.reflect.Array.get(array, i));
            }
            g.writeEndArray();
        }
    }

    private static String key(Object key) {
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof Enum<?> e) {
            return e.name();
        }
        return String.valueOf(key);
    }

    private static Object get(RecordInfo.Component c, Object record) {
        try {
            return c.getter().invokeExact(record);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Accessor " + c.javaName() + "() threw " + t, t);
        }
    }

    /** Numbers of other classes (AtomicLong, LongAdder, ...) as a Long when integral, else as a Double. */
    private static Object normalizeNumber(Number n) {
        double d = n.doubleValue();
        long l = n.longValue();
        return (double) l == d && !String.valueOf(n).contains(".") ? (Object) l : (Object) d;
    }

    private static IllegalArgumentException unsupportedValue(Object v) {
        return new IllegalArgumentException("Cannot write a " + v.getClass().getName() + " as JSON. Supported: "
                + "records, enums, Map, Iterable, arrays, String, Number, Boolean, Character, Optional/OptionalInt/"
                + "OptionalLong/OptionalDouble and null.");
    }

    private static String describe(Object v) {
        return v == null ? "null" : "a " + v.getClass().getName();
    }

    // ------------------------------------------------------------------ trees

    @Override
    public Object toTree(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, map.size() * 4 / 3 + 1));
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.put(key(e.getKey()), toTree(e.getValue()));
            }
            return out;
        }
        if (v instanceof Record r) {
            RecordInfo info = RecordInfo.of(r.getClass());
            Map<String, Object> out = new LinkedHashMap<>(Math.max(4, info.components.length * 4 / 3 + 1));
            for (RecordInfo.Component c : info.components) {
                out.put(c.wireName(), toTree(get(c, r)));
            }
            return out;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return PyFloats.widen(f);
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        if (v instanceof Optional<?> o) {
            return toTree(o.orElse(null));
        }
        if (v instanceof Iterable<?> items) {
            List<Object> out = new ArrayList<>();
            for (Object item : items) {
                out.add(toTree(item));
            }
            return out;
        }
        if (v instanceof char[] a) {
            return new String(a);
        }
        if (v.getClass().isArray()) {
            int n = java.lang.reflect.Array.getLength(v);
            List<Object> out = new ArrayList<>(n);
            if (v instanceof Object[] a) {
                for (Object item : a) {
                    out.add(toTree(item));
                }
            } else {
                for (int i = 0; i < n; i++) {
                    out.add(toTree(java.lang.reflect.Array.get(v, i)));
                }
            }
            return out;
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof OptionalInt o) {
            return o.isPresent() ? (Object) (long) o.getAsInt() : null;
        }
        if (v instanceof OptionalLong o) {
            return o.isPresent() ? (Object) o.getAsLong() : null;
        }
        if (v instanceof OptionalDouble o) {
            return o.isPresent() ? (Object) o.getAsDouble() : null;
        }
        if (v instanceof Character || v instanceof CharSequence) {
            return v.toString();
        }
        if (v instanceof Number n) {
            return normalizeNumber(n);
        }
        throw unsupportedValue(v);
    }

    // ------------------------------------------------------------------ records

    @Override
    public <T> T fromTree(Object tree, Class<T> type, boolean strict) {
        Objects.requireNonNull(type, "type");
        Binder.RecordBinder binder = Binder.forType(type);
        Binder.Context ctx = new Binder.Context(strict);
        Object result = binder.read(tree, ctx);
        if (!ctx.problems.isEmpty() || result == Binder.INVALID) {
            throw new ValidationFailure(ctx.problems);
        }
        return type.cast(result);
    }

    @Override
    public Map<String, Object> schema(Class<?> type) {
        Objects.requireNonNull(type, "type");
        return Schemas.of(type);
    }
}
