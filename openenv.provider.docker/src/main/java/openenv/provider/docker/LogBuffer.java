package openenv.provider.docker;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The last lines a container wrote, bounded by line count and line length (longer lines are cut). Frames arrive as byte chunks per
 * stream (stdout, stderr) that may end mid-line; each stream keeps its own partial line. Thread-safe.
 */
final class LogBuffer {

    static final int DEFAULT_MAX_LINES = 1000;
    static final int MAX_LINE_BYTES = 8192;

    private final int maxLines;
    private final Consumer<String> sink;
    private final ArrayDeque<String> lines = new ArrayDeque<>();
    private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private long dropped;

    /** {@code sink} sees every complete line (e.g. a logger); it must be cheap and must not throw. */
    LogBuffer(int maxLines, Consumer<String> sink) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be positive, was " + maxLines);
        }
        this.maxLines = maxLines;
        this.sink = sink;
    }

    /** Appends a chunk of {@code stream} 0 (stdout) or 1 (stderr). */
    void append(int stream, byte[] chunk) {
        List<String> complete = new ArrayList<>();
        synchronized (this) {
            ByteArrayOutputStream open = partial[stream == 1 ? 1 : 0];
            int start = 0;
            for (int i = 0; i < chunk.length; i++) {
                if (chunk[i] == '\n') {
                    appendBounded(open, chunk, start, i);
                    complete.add(takeLine(open));
                    start = i + 1;
                }
            }
            appendBounded(open, chunk, start, chunk.length);
            complete.forEach(this::add);
        }
        complete.forEach(sink);
    }

    /** Completes the partial lines (the stream ended). */
    void flush() {
        List<String> complete = new ArrayList<>();
        synchronized (this) {
            for (ByteArrayOutputStream open : partial) {
                if (open.size() > 0) {
                    complete.add(takeLine(open));
                }
            }
            complete.forEach(this::add);
        }
        complete.forEach(sink);
    }

    /** All kept lines, oldest first, joined with {@code \n}; a first line says how many older ones were dropped. */
    synchronized String text() {
        StringBuilder out = new StringBuilder();
        if (dropped > 0) {
            out.append("[").append(dropped).append(" earlier lines dropped]\n");
        }
        for (String line : lines) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

    /** The last {@code n} lines, joined with {@code \n}. */
    synchronized String tail(int n) {
        StringBuilder out = new StringBuilder();
        int skip = Math.max(0, lines.size() - n);
        for (String line : lines) {
            if (skip-- > 0) {
                continue;
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }

    private void add(String line) {
        if (lines.size() == maxLines) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
    }

    private static void appendBounded(ByteArrayOutputStream open, byte[] chunk, int from, int to) {
        int room = MAX_LINE_BYTES - open.size();
        if (room > 0 && to > from) {
            open.write(chunk, from, Math.min(to - from, room));
        }
    }

    // Bytes are kept until the line is complete, so a UTF-8 character split across frames decodes whole.
    private static String takeLine(ByteArrayOutputStream open) {
        String line = open.toString(StandardCharsets.UTF_8);
        open.reset();
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
