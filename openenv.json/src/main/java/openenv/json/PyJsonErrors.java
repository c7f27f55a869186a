package openenv.json;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Finds the first error in a JSON text the way CPython's {@code json.loads} (3.11) reports it: the same messages
 * ({@code "Expecting value"}, {@code "Expecting property name enclosed in double quotes"}, {@code "Extra data"},
 * ...) at the same 0-based offset, counted in code points. Jackson parses the happy path; this scanner runs only
 * once Jackson has refused a document, so it is written for clarity, without recursion (deep nesting cannot
 * overflow the stack).
 */
final class PyJsonErrors {

    /** A Python-style error: message without position, and code-point offset. */
    record Error(String msg, int pos) {
    }

    private static final int VALUE = 0;
    private static final int AFTER_VALUE = 1;
    private static final int KEY = 2;

    private final int[] s;
    private final int len;

    private PyJsonErrors(int[] codePoints) {
        this.s = codePoints;
        this.len = codePoints.length;
    }

    /**
     * The error Python reports for {@code utf8}, or {@code null} if Python would accept the document.
     * Input that is not UTF-8 gets a message naming the offending byte.
     */
    static Error find(byte[] utf8) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(utf8);
        CharBuffer out = CharBuffer.allocate(utf8.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        out.flip();
        if (result.isError()) {
            int bytePos = in.position();
            int cpPos = Character.codePointCount(out, 0, out.length());
            String msg = String.format("'utf-8' codec can't decode byte 0x%02x in position %d",
                    utf8[bytePos] & 0xff, bytePos);
            return new Error(msg, stripBom(cpPos, out));
        }
        int[] cps = out.toString().codePoints().toArray();
        if (cps.length > 0 && cps[0] == 0xFEFF) {
            // json.loads(bytes) decodes with utf-8-sig: a BOM is not part of the document.
            cps = java.util.Arrays.copyOfRange(cps, 1, cps.length);
        }
        return new PyJsonErrors(cps).scan();
    }

    private static int stripBom(int cpPos, CharBuffer decoded) {
        return decoded.length() > 0 && decoded.charAt(0) == '\uFEFF' ? cpPos - 1 : cpPos;
    }

    /** Python's message with position, e.g. {@code Expecting value: line 1 column 1 (char 0)}. */
    static String pythonMessage(byte[] utf8, Error error) {
        String text = new String(utf8, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int line = 1;
        int lastNewline = -1;
        int cp = 0;
        for (int i = 0; i < text.length() && cp < error.pos(); cp++) {
            int c = text.codePointAt(i);
            if (c == '\n') {
                line++;
                lastNewline = cp;
            }
            i += Character.charCount(c);
        }
        int column = error.pos() - lastNewline;
        return error.msg() + ": line " + line + " column " + column + " (char " + error.pos() + ")";
    }

    private Error scan() {
        // Containers still open: '{' or '['.
        char[] stack = new char[16];
        int depth = 0;
        int pos = ws(0);
        int state = VALUE;
        while (true) {
            switch (state) {
                case VALUE -> {
                    if (pos >= len) {
                        return new Error("Expecting value", pos);
                    }
                    int c = s[pos];
                    if (c == '"') {
                        int end = string(pos + 1);
                        if (end < 0) {
                            return pending;
                        }
                        pos = end;
                        state = AFTER_VALUE;
                    } else if (c == '{' || c == '[') {
                        pos = ws(pos + 1);
                        char close = c == '{' ? '}' : ']';
                        if (pos < len && s[pos] == close) {
                            pos++;
                            state = AFTER_VALUE;
                        } else {
                            if (depth == stack.length) {
                                stack = java.util.Arrays.copyOf(stack, depth * 2);
                            }
                            stack[depth++] = (char) c;
                            state = c == '{' ? KEY : VALUE;
                        }
                    } else {
                        int end = literalOrNumber(pos);
                        if (end < 0) {
                            return new Error("Expecting value", pos);
                        }
                        pos = end;
                        state = AFTER_VALUE;
                    }
                }
                case KEY -> {
                    if (pos >= len || s[pos] != '"') {
                        return new Error("Expecting property name enclosed in double quotes", pos);
                    }
                    int end = string(pos + 1);
                    if (end < 0) {
                        return pending;
                    }
                    pos = ws(end);
                    if (pos >= len || s[pos] != ':') {
                        return new Error("Expecting ':' delimiter", pos);
                    }
                    pos = ws(pos + 1);
                    state = VALUE;
                }
                default -> {
                    if (depth == 0) {
                        pos = ws(pos);
                        return pos == len ? null : new Error("Extra data", pos);
                    }
                    char open = stack[depth - 1];
                    pos = ws(pos);
                    if (pos < len && s[pos] == (open == '{' ? '}' : ']')) {
                        pos++;
                        depth--;
                        continue;
                    }
                    if (pos >= len || s[pos] != ',') {
                        return new Error("Expecting ',' delimiter", pos);
                    }
                    pos = ws(pos + 1);
                    state = open == '{' ? KEY : VALUE;
                }
            }
        }
    }

    private Error pending;

    private int ws(int pos) {
        while (pos < len) {
            int c = s[pos];
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            pos++;
        }
        return pos;
    }

    private boolean at(int pos, String word) {
        if (pos + word.length() > len) {
            return false;
        }
        for (int i = 0; i < word.length(); i++) {
            if (s[pos + i] != word.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** End of the literal or number at {@code pos}, or -1 (Python then says "Expecting value" at pos). */
    private int literalOrNumber(int pos) {
        for (String word : new String[] {"null", "true", "false", "NaN", "Infinity", "-Infinity"}) {
            if (at(pos, word)) {
                return pos + word.length();
            }
        }
        int idx = pos;
        int endIdx = len - 1;
        if (s[idx] == '-') {
            idx++;
            if (idx > endIdx) {
                return -1;
            }
        }
        if (s[idx] >= '1' && s[idx] <= '9') {
            idx++;
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
        } else if (s[idx] == '0') {
            idx++;
        } else {
            return -1;
        }
        if (idx < endIdx && s[idx] == '.' && isDigit(s[idx + 1])) {
            idx += 2;
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
        }
        if (idx < endIdx && (s[idx] == 'e' || s[idx] == 'E')) {
            int eStart = idx;
            idx++;
            if (idx < endIdx && (s[idx] == '-' || s[idx] == '+')) {
                idx++;
            }
            while (idx <= endIdx && isDigit(s[idx])) {
                idx++;
            }
            if (!isDigit(s[idx - 1])) {
                idx = eStart;
            }
        }
        return idx;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(int c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    private static boolean isHighSurrogate(int c) {
        return c >= 0xD800 && c <= 0xDBFF;
    }

    /**
     * Scans a string whose opening quote is at {@code start - 1}; returns the index after the closing quote, or -1
     * with {@link #pending} set, following CPython's {@code scanstring_unicode}.
     */
    private int string(int start) {
        int begin = start - 1;
        int end = start;
        while (true) {
            int next = end;
            int c = 0;
            for (; next < len; next++) {
                c = s[next];
                if (c == '"' || c == '\\') {
                    break;
                }
                if (c <= 0x1f) {
                    return fail("Invalid control character at", next);
                }
            }
            if (next >= len) {
                return fail("Unterminated string starting at", begin);
            }
            if (c == '"') {
                return next + 1;
            }
            next++;
            if (next == len) {
                return fail("Unterminated string starting at", begin);
            }
            c = s[next];
            if (c != 'u') {
                end = next + 1;
                if ("\"\\/bfnrt".indexOf(c) < 0) {
                    return fail("Invalid \\escape", end - 2);
                }
            } else {
                next++;
                end = next + 4;
                if (end >= len) {
                    return fail("Invalid \\uXXXX escape", next - 1);
                }
                int code = 0;
                for (; next < end; next++) {
                    if (!isHex(s[next])) {
                        return fail("Invalid \\uXXXX escape", end - 5);
                    }
                    code = code * 16 + Character.digit(s[next], 16);
                }
                if (isHighSurrogate(code) && end + 6 < len && s[next] == '\\' && s[next + 1] == 'u') {
                    next += 2;
                    end += 6;
                    for (; next < end; next++) {
                        if (!isHex(s[next])) {
                            return fail("Invalid \\uXXXX escape", end - 5);
                        }
                    }
                    int low = 0;
                    for (int i = end - 4; i < end; i++) {
                        low = low * 16 + Character.digit(s[i], 16);
                    }
                    if (low < 0xDC00 || low > 0xDFFF) {
                        end -= 6;
                    }
                }
            }
        }
    }

    private int fail(String msg, int pos) {
        pending = new Error(msg, pos);
        return -1;
    }
}
