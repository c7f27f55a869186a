package openenv.json;

import com.fasterxml.jackson.core.io.SerializedString;
import java.util.Arrays;

/**
 * Compact JSON into a growable byte array that each thread reuses: what {@link JacksonCodec#write} produces, byte
 * for byte as the Jackson generator configured there wrote it (strings as raw UTF-8 with Python's escapes:
 * {@code \"}, {@code \\}, {@code \b \f \n \r \t}, other control characters and unpaired surrogates as
 * six-character escapes with lower-case hex digits; astral characters as 4-byte UTF-8). A Jackson generator and
 * its output builder cost about 1 KB of garbage per document, several times a step message; this costs the final
 * array only.
 *
 * <p>Not thread-safe: {@link #acquire()} hands out the calling thread's writer, or a fresh one if that one is
 * busy (a record accessor that writes JSON itself).
 */
final class Utf8Writer {

    private static final ThreadLocal<Utf8Writer> PER_THREAD = ThreadLocal.withInitial(Utf8Writer::new);
    /** Larger buffers are dropped after use rather than kept by every thread that once wrote a big document. */
    private static final int RETAINED_BYTES = 256 * 1024;
    private static final int INITIAL_BYTES = 512;
    /** Jackson's default StreamWriteConstraints nesting limit; cyclic values end here, not in a stack overflow. */
    static final int MAX_DEPTH = 1000;
    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[INITIAL_BYTES];
    private int len;
    private boolean busy;

    private Utf8Writer() {
    }

    static Utf8Writer acquire() {
        Utf8Writer writer = PER_THREAD.get();
        if (writer.busy) {
            writer = new Utf8Writer();
        }
        writer.busy = true;
        writer.len = 0;
        return writer;
    }

    /** The bytes written, as a new array of exactly that length. */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }

    /** Gives the writer back to its thread. */
    void release() {
        busy = false;
        if (buf.length > RETAINED_BYTES) {
            buf = new byte[INITIAL_BYTES];
        }
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    void raw(char ascii) {
        ensure(1);
        buf[len++] = (byte) ascii;
    }

    /** ASCII text as is: numbers, literals. */
    void raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
    }

    void nullValue() {
        raw("null");
    }

    void bool(boolean value) {
        raw(value ? "true" : "false");
    }

    void number(long value) {
        if (value == Long.MIN_VALUE) {
            raw(Long.toString(value));
            return;
        }
        ensure(20);
        if (value < 0) {
            buf[len++] = '-';
            value = -value;
        }
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        int end = len + digits;
        for (int i = end - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + (int) (value % 10));
            value /= 10;
        }
        len = end;
    }

    /** A record component's precomputed key, with its colon. */
    void fieldName(SerializedString key) {
        byte[] quoted = key.asQuotedUTF8();
        ensure(quoted.length + 3);
        buf[len++] = '"';
        System.arraycopy(quoted, 0, buf, len, quoted.length);
        len += quoted.length;
        buf[len++] = '"';
        buf[len++] = ':';
    }

    /** A map key, with its colon. */
    void fieldName(String key) {
        string(key);
        raw(':');
    }

    void string(String s) {
        int n = s.length();
        ensure(n + 2);
        buf[len++] = '"';
        int i = 0;
        // Plain ASCII, the common case, needs no escaping and one byte per char.
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                break;
            }
            buf[len++] = (byte) c;
        }
        for (; i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                codePoint(Character.toCodePoint(c, s.charAt(++i)));
            } else {
                character(c);
            }
        }
        raw('"');
    }

    void string(char[] chars, int offset, int length) {
        string(new String(chars, offset, length));
    }

    /** One UTF-16 unit that is not half of a surrogate pair. */
    private void character(char c) {
        ensure(6);
        if (c < 0x80) {
            if (c >= 0x20 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
                return;
            }
            buf[len++] = '\\';
            switch (c) {
                case '"' -> buf[len++] = '"';
                case '\\' -> buf[len++] = '\\';
                case '\b' -> buf[len++] = 'b';
                case '\f' -> buf[len++] = 'f';
                case '\n' -> buf[len++] = 'n';
                case '\r' -> buf[len++] = 'r';
                case '\t' -> buf[len++] = 't';
                default -> unicodeEscape(c);
            }
        } else if (c < 0x800) {
            buf[len++] = (byte) (0xC0 | c >> 6);
            buf[len++] = (byte) (0x80 | c & 0x3F);
        } else if (Character.isSurrogate(c)) {
            buf[len++] = '\\';
            unicodeEscape(c); // unpaired: escaped, as Jackson does
        } else {
            buf[len++] = (byte) (0xE0 | c >> 12);
            buf[len++] = (byte) (0x80 | c >> 6 & 0x3F);
            buf[len++] = (byte) (0x80 | c & 0x3F);
        }
    }

    /** {@code uXXXX} (hex) after a backslash already written. */
    private void unicodeEscape(char c) {
        buf[len++] = 'u';
        buf[len++] = HEX[c >> 12 & 0xF];
        buf[len++] = HEX[c >> 8 & 0xF];
        buf[len++] = HEX[c >> 4 & 0xF];
        buf[len++] = HEX[c & 0xF];
    }

    private void codePoint(int cp) {
        ensure(4);
        buf[len++] = (byte) (0xF0 | cp >> 18);
        buf[len++] = (byte) (0x80 | cp >> 12 & 0x3F);
        buf[len++] = (byte) (0x80 | cp >> 6 & 0x3F);
        buf[len++] = (byte) (0x80 | cp & 0x3F);
    }
}
