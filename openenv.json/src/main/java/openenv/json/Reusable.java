package openenv.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * One Jackson parser and one generator per platform thread, kept across documents. Creating either costs
 * 500-700 bytes of objects (I/O context, bootstrapper, symbol table, read/write contexts) and most of the time
 * of a small document; a step message is 40-150 bytes, so on the step path the setup was the larger part of
 * the codec's work and allocation.
 *
 * <p>The parser is Jackson's non-blocking one, which accepts successive documents fed one after another; the
 * generator writes successive root values with no separator into a growable sink. Both are dropped (and made
 * again on next use) whenever anything unusual happens, so a half-read or half-written document never leaks
 * into the next one; callers then fall back to a fresh parser or generator, which is the authoritative path
 * (its results and errors are the codec's).
 *
 * <p>Not used on virtual threads (a thread-local per short-lived thread would keep buffers for nothing), for
 * large documents (the parser keeps a reference to its last input; a large output is not worth keeping a
 * large sink for), or when the thread is already using it (a record accessor that calls the codec).
 */
final class Reusable {

    /** Larger inputs take the fresh parser, larger outputs give back their sink after the copy. */
    static final int MAX_KEPT_BYTES = 64 * 1024;

    /**
     * A kept parser's symbol table grows with every new field name it sees; starting over after this many
     * documents bounds that growth (against clients that send ever new keys) for about one byte per document.
     */
    private static final int DOCUMENTS_PER_PARSER = 1024;

    private static final ThreadLocal<Reusable> PER_THREAD = ThreadLocal.withInitial(Reusable::new);

    /** {@code Thread::isVirtual} on JDK 21+, null before (no virtual threads there). */
    private static final MethodHandle IS_VIRTUAL = isVirtualHandle();

    private JsonParser parser;
    private ByteArrayFeeder feeder;
    private int parsedDocuments;
    private boolean reading;

    private JsonGenerator generator;
    private final Sink sink = new Sink();
    private boolean writing;

    private Reusable() {
    }

    // ------------------------------------------------------------------ reading

    /**
     * This thread's parser with {@code utf8} fed to it, or null when the caller should use a fresh parser.
     * Every non-null return must be followed by {@link #readDone} or {@link #readFailed}.
     */
    static Reusable reader(JsonFactory factory, byte[] utf8) throws IOException {
        if (utf8.length > MAX_KEPT_BYTES || utf8.length == 0) {
            return null;
        }
        Reusable r = forThisThread();
        if (r == null || r.reading) {
            return null;
        }
        if (r.parser == null) {
            r.parser = factory.createNonBlockingByteArrayParser();
            r.feeder = (ByteArrayFeeder) r.parser.getNonBlockingInputFeeder();
            r.parsedDocuments = 0;
        }
        r.reading = true;
        try {
            r.feeder.feedInput(utf8, 0, utf8.length);
        } catch (IOException | RuntimeException e) {
            r.readFailed();
            throw e;
        }
        return r;
    }

    JsonParser parser() {
        return parser;
    }

    /** The document was read completely and all its input consumed. */
    void readDone() {
        reading = false;
        if (++parsedDocuments >= DOCUMENTS_PER_PARSER) {
            dropParser();
        }
    }

    /** Anything else: the parser's state is unknown, so it is not used again. */
    void readFailed() {
        reading = false;
        dropParser();
    }

    private void dropParser() {
        JsonParser p = parser;
        parser = null;
        feeder = null;
        if (p != null) {
            try {
                p.close();
            } catch (IOException | RuntimeException ignored) {
                // it held no resource beyond recycled buffers
            }
        }
    }

    // ------------------------------------------------------------------ writing

    /**
     * This thread's generator, ready for one root value, or null when the caller should use a fresh one. Every
     * non-null return must be followed by {@link #written} or {@link #writeFailed}.
     */
    static Reusable writer(JsonFactory factory) throws IOException {
        Reusable r = forThisThread();
        if (r == null || r.writing) {
            return null;
        }
        if (r.generator == null) {
            r.sink.reset();
            r.generator = factory.createGenerator(r.sink);
            r.generator.setRootValueSeparator(null);
        }
        r.writing = true;
        return r;
    }

    JsonGenerator generator() {
        return generator;
    }

    /** The bytes of the root value just written; the generator is ready for the next one. */
    byte[] written() throws IOException {
        try {
            generator.flush();
            byte[] bytes = sink.copy();
            sink.reset();
            writing = false;
            return bytes;
        } catch (IOException | RuntimeException e) {
            writeFailed();
            throw e;
        }
    }

    void writeFailed() {
        writing = false;
        JsonGenerator g = generator;
        generator = null;
        sink.reset();
        if (g != null) {
            try {
                g.close();
            } catch (IOException | RuntimeException ignored) {
                // a half-written document into memory; nothing to release beyond recycled buffers
            }
        }
    }

    /** A byte array that grows; given back to a small one after a large document. */
    private static final class Sink extends OutputStream {
        private static final int INITIAL = 512;
        private byte[] buf = new byte[INITIAL];
        private int length;

        @Override
        public void write(int b) {
            ensure(1);
            buf[length++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensure(len);
            System.arraycopy(b, off, buf, length, len);
            length += len;
        }

        private void ensure(int more) {
            if (more > buf.length - length) {
                int needed = Math.addExact(length, more);
                buf = Arrays.copyOf(buf, Math.max(needed, buf.length * 2));
            }
        }

        byte[] copy() {
            return Arrays.copyOf(buf, length);
        }

        void reset() {
            length = 0;
            if (buf.length > MAX_KEPT_BYTES) {
                buf = new byte[INITIAL];
            }
        }
    }

    // ------------------------------------------------------------------ threads

    private static Reusable forThisThread() {
        return isVirtual(Thread.currentThread()) ? null : PER_THREAD.get();
    }

    private static boolean isVirtual(Thread thread) {
        if (IS_VIRTUAL == null) {
            return false;
        }
        try {
            return (boolean) IS_VIRTUAL.invokeExact(thread);
        } catch (Throwable t) {
            return true; // cannot tell: the fresh path is always correct
        }
    }

    private static MethodHandle isVirtualHandle() {
        try {
            return MethodHandles.publicLookup()
                    .findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            return null; // JDK 17-20
        }
    }
}
