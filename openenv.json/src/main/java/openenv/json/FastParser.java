package openenv.json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The hot path of {@link JacksonCodec#parse}: a tree parser for the documents every step carries (small objects,
 * ASCII or well-formed UTF-8 text, ordinary numbers). Setting up a Jackson parser costs about 640 bytes of
 * garbage and a microsecond per document, more than parsing a step message itself.
 *
 * <p>It builds exactly the tree Jackson's path builds, and gives up ({@link #FALLBACK}) on anything it is not
 * sure to read the same way, so that Jackson decides and reports every error: malformed input of any kind, a
 * byte order mark or another encoding, {@code NaN}/{@code Infinity}, integers of 19 digits or more (long or
 * BigInteger), very long numbers or names, deep nesting, UTF-8 that is not well formed, and escaped surrogates.
 */
final class FastParser {

    /** Returned when Jackson must parse the document instead. */
    static final Object FALLBACK = new Object();

    private static final int MAX_DEPTH = 200;
    private static final int MAX_NAME_LENGTH = 50_000;
    private static final int MAX_STRING_LENGTH = 1_000_000;

    /** Thrown internally to abandon the fast path; never escapes. Stackless: it is control flow. */
    private static final class GiveUp extends RuntimeException {
        private static final long serialVersionUID = 1L;
        static final GiveUp INSTANCE = new GiveUp();

        private GiveUp() {
            super(null, null, false, false);
        }
    }

    /** Powers of ten that doubles hold exactly (Clinger's fast path). */
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    };

    /**
     * Recently seen object keys by a hash of their bytes: wire names repeat in every message ({@code type},
     * {@code data}, {@code observation}...), so most keys cost no allocation. Racy by design: a slot holds an
     * immutable String or null, and a miss only means allocating as before.
     */
    private static final String[] NAMES = new String[1024];
    private static final int MAX_CACHED_NAME = 32;

    /** One parser per thread, reused: parsing never calls out, so it is never re-entered. */
    private static final ThreadLocal<FastParser> PER_THREAD = ThreadLocal.withInitial(FastParser::new);
    private static final int RETAINED_STACK = 4096;

    private byte[] in;
    private int pos;
    private StringBuilder text;
    /** Keys and values of the objects and arrays being read, innermost last; containers are made at their size. */
    private Object[] stack = new Object[32];
    private int top;

    private FastParser() {
    }

    /** The document's tree, or {@link #FALLBACK}. */
    static Object parse(byte[] utf8) {
        FastParser p = PER_THREAD.get();
        p.in = utf8;
        p.pos = 0;
        p.top = 0;
        try {
            p.skipWhitespace();
            Object value = p.value(0);
            p.skipWhitespace();
            return p.pos == utf8.length ? value : FALLBACK;
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            java.util.Arrays.fill(p.stack, 0, Math.min(p.top, p.stack.length), null);
            return FALLBACK;
        } finally {
            p.in = null;
            if (p.stack.length > RETAINED_STACK) {
                p.stack = new Object[32];
            }
        }
    }

    private static GiveUp giveUp() {
        return GiveUp.INSTANCE;
    }

    private void skipWhitespace() {
        byte[] b = in;
        int i = pos;
        while (i < b.length && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        pos = i;
    }

    /** The next byte, failing (to the fallback) at the end of input. */
    private byte next() {
        return in[pos++];
    }

    private Object value(int depth) {
        byte c = in[pos];
        switch (c) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                pos++;
                return string(MAX_STRING_LENGTH);
            case 't':
                literal("true");
                return Boolean.TRUE;
            case 'f':
                literal("false");
                return Boolean.FALSE;
            case 'n':
                literal("null");
                return null;
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw giveUp();
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw giveUp();
            }
        }
        // "truex" and the like: the caller sees an unexpected byte next and gives up
    }

    private void push(Object value) {
        if (top == stack.length) {
            stack = java.util.Arrays.copyOf(stack, top * 2);
        }
        stack[top++] = value;
    }

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) {
            throw giveUp();
        }
        pos++; // '{'
        skipWhitespace();
        if (in[pos] == '}') {
            pos++;
            return new LinkedHashMap<>();
        }
        int base = top;
        while (true) {
            if (next() != '"') {
                throw giveUp();
            }
            push(name());
            skipWhitespace();
            if (next() != ':') {
                throw giveUp();
            }
            skipWhitespace();
            push(value(depth));
            skipWhitespace();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw giveUp();
            }
            skipWhitespace();
        }
        int entries = (top - base) / 2;
        // Sized as Jackson's path would need: a table of the next power of two above entries / 0.75.
        Map<String, Object> map = new LinkedHashMap<>(entries * 4 / 3 + 1);
        for (int i = base; i < top; i += 2) {
            map.put((String) stack[i], stack[i + 1]);
            stack[i] = null;
            stack[i + 1] = null;
        }
        top = base;
        return map;
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) {
            throw giveUp();
        }
        pos++; // '['
        skipWhitespace();
        if (in[pos] == ']') {
            pos++;
            return new ArrayList<>();
        }
        int base = top;
        while (true) {
            push(value(depth));
            skipWhitespace();
            byte c = next();
            if (c == ']') {
                break;
            }
            if (c != ',') {
                throw giveUp();
            }
            skipWhitespace();
        }
        List<Object> list = new ArrayList<>(top - base);
        for (int i = base; i < top; i++) {
            list.add(stack[i]);
            stack[i] = null;
        }
        top = base;
        return list;
    }

    /** An object key after its opening quote: plain short ASCII keys come from {@link #NAMES} when seen before. */
    private String name() {
        byte[] b = in;
        int start = pos;
        int hash = 0;
        int i = start;
        while (i - start <= MAX_CACHED_NAME) {
            byte c = b[i];
            if (c == '"') {
                int length = i - start;
                int slot = (hash ^ hash >>> 16) & (NAMES.length - 1);
                String cached = NAMES[slot];
                if (cached != null && sameAscii(cached, b, start, length)) {
                    pos = i + 1;
                    return cached;
                }
                String name = new String(b, start, length, StandardCharsets.ISO_8859_1);
                NAMES[slot] = name;
                pos = i + 1;
                return name;
            }
            if (c == '\\' || c < 0x20) {
                break;
            }
            hash = 31 * hash + c;
            i++;
        }
        return string(MAX_NAME_LENGTH);
    }

    private static boolean sameAscii(String s, byte[] b, int start, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int k = 0; k < length; k++) {
            if (s.charAt(k) != b[start + k]) {
                return false;
            }
        }
        return true;
    }

    /** After the opening quote. Plain ASCII runs are copied at once; escapes and UTF-8 go through a builder. */
    private String string(int maxLength) {
        byte[] b = in;
        int start = pos;
        int i = start;
        while (true) {
            byte c = b[i];
            if (c == '"') {
                pos = i + 1;
                if (i - start > maxLength) {
                    throw giveUp();
                }
                return new String(b, start, i - start, StandardCharsets.ISO_8859_1);
            }
            if (c == '\\' || c < 0x20) { // also every byte >= 0x80, which is negative
                break;
            }
            i++;
        }
        StringBuilder out = text == null ? (text = new StringBuilder(64)) : text;
        out.setLength(0);
        for (int k = start; k < i; k++) {
            out.append((char) b[k]);
        }
        while (true) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                pos = i + 1;
                if (out.length() > maxLength) {
                    throw giveUp();
                }
                return out.toString();
            }
            if (c == '\\') {
                i = escape(b, i + 1, out);
            } else if (c < 0x20) {
                throw giveUp(); // raw control character: Jackson reports it
            } else if (c < 0x80) {
                out.append((char) c);
                i++;
            } else {
                i = utf8(b, i, c, out);
            }
        }
    }

    /** One escape after the backslash at {@code i - 1}; returns the index after it. */
    private static int escape(byte[] b, int i, StringBuilder out) {
        byte c = b[i];
        switch (c) {
            case '"', '\\', '/' -> out.append((char) c);
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'u' -> {
                int value = 0;
                for (int k = 1; k <= 4; k++) {
                    int digit = Character.digit(b[i + k], 16);
                    if (digit < 0) {
                        throw giveUp();
                    }
                    value = value << 4 | digit;
                }
                if (value >= 0xD800 && value <= 0xDFFF) {
                    throw giveUp(); // Jackson checks escaped surrogate pairs (differently in names and values)
                }
                out.append((char) value);
                return i + 5;
            }
            default -> throw giveUp();
        }
        return i + 1;
    }

    /** One well-formed UTF-8 sequence (Unicode table 3-7) starting with lead byte {@code c} at {@code i}. */
    private static int utf8(byte[] b, int i, int c, StringBuilder out) {
        if (c >= 0xC2 && c <= 0xDF) {
            out.append((char) ((c & 0x1F) << 6 | continuation(b[i + 1], 0x80, 0xBF)));
            return i + 2;
        }
        if (c >= 0xE0 && c <= 0xEF) {
            int lo = c == 0xE0 ? 0xA0 : 0x80;
            int hi = c == 0xED ? 0x9F : 0xBF; // no encoded surrogates
            int c1 = continuation(b[i + 1], lo, hi);
            int c2 = continuation(b[i + 2], 0x80, 0xBF);
            out.append((char) ((c & 0x0F) << 12 | c1 << 6 | c2));
            return i + 3;
        }
        if (c >= 0xF0 && c <= 0xF4) {
            int lo = c == 0xF0 ? 0x90 : 0x80;
            int hi = c == 0xF4 ? 0x8F : 0xBF;
            int c1 = continuation(b[i + 1], lo, hi);
            int c2 = continuation(b[i + 2], 0x80, 0xBF);
            int c3 = continuation(b[i + 3], 0x80, 0xBF);
            out.appendCodePoint((c & 0x07) << 18 | c1 << 12 | c2 << 6 | c3);
            return i + 4;
        }
        throw giveUp();
    }

    /**
     * A decimal of at most 15 significant digits and a small exponent ({@code 0.5}, {@code 12.25}, {@code 1e-3}),
     * the common case, without building a string: digits and a power of ten are both exact doubles then, so one
     * IEEE multiplication or division rounds correctly, to the double {@link Double#parseDouble} gives. Null
     * when that does not hold.
     */
    private static Double exactDouble(byte[] b, int from, int to, boolean negative) {
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean fraction = false;
        int i = from;
        for (; i < to; i++) {
            byte c = b[i];
            if (c == '.') {
                fraction = true;
            } else if (c >= '0' && c <= '9') {
                if (mantissa == 0 && c == '0') {
                    // leading zeros are not significant
                } else if (++digits > 15) {
                    return null;
                }
                mantissa = mantissa * 10 + (c - '0');
                if (fraction) {
                    scale--;
                }
            } else {
                break; // exponent
            }
        }
        if (i < to) {
            i++; // 'e' or 'E'
            boolean minus = b[i] == '-';
            if (b[i] == '-' || b[i] == '+') {
                i++;
            }
            if (to - i > 3) {
                return null;
            }
            int exponent = 0;
            for (; i < to; i++) {
                exponent = exponent * 10 + (b[i] - '0');
            }
            scale += minus ? -exponent : exponent;
        }
        if (scale < -22 || scale > 22) {
            return null;
        }
        double value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale] : mantissa * POWERS_OF_TEN[scale];
        return negative ? -value : value;
    }

    /** The six payload bits of a continuation byte within {@code [lo, hi]}. */
    private static int continuation(byte value, int lo, int hi) {
        int v = value & 0xFF;
        if (v < lo || v > hi) {
            throw giveUp();
        }
        return v & 0x3F;
    }

    /** JSON number grammar exactly; integers of up to 18 digits as Long, others with a fraction or exponent as Double. */
    private Object number() {
        byte[] b = in;
        int start = pos;
        int i = start;
        boolean negative = b[i] == '-';
        if (negative) {
            i++;
        }
        int digitsStart = i;
        if (b[i] == '0') {
            i++;
        } else if (b[i] >= '1' && b[i] <= '9') {
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
        } else {
            throw giveUp(); // "-" alone, "-Infinity", ...
        }
        int intDigits = i - digitsStart;
        boolean integral = true;
        if (i < b.length && b[i] == '.') {
            integral = false;
            i++;
            int fracStart = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == fracStart) {
                throw giveUp();
            }
        }
        if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
            integral = false;
            i++;
            if (i < b.length && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int expStart = i;
            while (i < b.length && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == expStart) {
                throw giveUp();
            }
        }
        pos = i;
        if (integral) {
            if (intDigits > 18) {
                throw giveUp(); // long or BigInteger: Jackson decides
            }
            long value = 0;
            for (int k = digitsStart; k < i; k++) {
                value = value * 10 + (b[k] - '0');
            }
            return negative ? -value : value;
        }
        if (i - start > 64) {
            throw giveUp();
        }
        Double exact = exactDouble(b, digitsStart, i, negative);
        if (exact != null) {
            return exact;
        }
        // Correctly rounded, as Jackson's fast double parser is: the same double for the same text.
        return Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
    }
}
