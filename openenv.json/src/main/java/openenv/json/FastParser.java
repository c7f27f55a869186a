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

    private final byte[] in;
    private int pos;
    private StringBuilder text;

    private FastParser(byte[] in) {
        this.in = in;
    }

    /** The document's tree, or {@link #FALLBACK}. */
    static Object parse(byte[] utf8) {
        FastParser p = new FastParser(utf8);
        try {
            p.skipWhitespace();
            Object value = p.value(0);
            p.skipWhitespace();
            return p.pos == utf8.length ? value : FALLBACK;
        } catch (GiveUp | ArrayIndexOutOfBoundsException e) {
            return FALLBACK;
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

    private Map<String, Object> object(int depth) {
        if (depth > MAX_DEPTH) {
            throw giveUp();
        }
        pos++; // '{'
        Map<String, Object> map = new LinkedHashMap<>();
        skipWhitespace();
        if (in[pos] == '}') {
            pos++;
            return map;
        }
        while (true) {
            if (next() != '"') {
                throw giveUp();
            }
            String name = string(MAX_NAME_LENGTH);
            skipWhitespace();
            if (next() != ':') {
                throw giveUp();
            }
            skipWhitespace();
            map.put(name, value(depth));
            skipWhitespace();
            byte c = next();
            if (c == '}') {
                return map;
            }
            if (c != ',') {
                throw giveUp();
            }
            skipWhitespace();
        }
    }

    private List<Object> array(int depth) {
        if (depth > MAX_DEPTH) {
            throw giveUp();
        }
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipWhitespace();
        if (in[pos] == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value(depth));
            skipWhitespace();
            byte c = next();
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                throw giveUp();
            }
            skipWhitespace();
        }
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
        // Correctly rounded, as Jackson's fast double parser is: the same double for the same text.
        return Double.parseDouble(new String(b, start, i - start, StandardCharsets.ISO_8859_1));
    }
}
