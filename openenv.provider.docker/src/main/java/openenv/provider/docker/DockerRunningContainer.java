package openenv.provider.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import openenv.api.spi.RunningContainer;

/** A container this JVM started. Closing it kills and removes it (and stops following its logs); idempotent. */
final class DockerRunningContainer implements RunningContainer {

    private final DockerEngine engine;
    private final String id;
    private final String name;
    private final String image;
    private final LogBuffer logs;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean logStreamEnded;
    private volatile ResultCallback.Adapter<Frame> logStream;
    private volatile URI baseUri;

    DockerRunningContainer(DockerEngine engine, String id, String name, String image) {
        this.engine = engine;
        this.id = id;
        this.name = name;
        this.image = image;
        this.logs = new LogBuffer(LogBuffer.DEFAULT_MAX_LINES, DockerEngine.loggerFor(name));
    }

    @Override
    public URI baseUri() {
        return Objects.requireNonNull(baseUri, "not started");
    }

    @Override
    public String id() {
        return id;
    }

    /** The last {@value LogBuffer#DEFAULT_MAX_LINES} lines of stdout and stderr, followed since the start. */
    @Override
    public String logs() {
        return logs.text();
    }

    /** The container name, e.g. {@code openenv-echo-1a2b3c4d5e}. */
    String name() {
        return name;
    }

    String image() {
        return image;
    }

    /** True while the log stream is open, which the engine ends when the container stops. */
    boolean seemsRunning() {
        return !logStreamEnded && !closed.get();
    }

    boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ResultCallback.Adapter<Frame> stream = logStream;
        try {
            engine.remove(this);
        } finally {
            if (stream != null) {
                DockerEngine.closeQuietly(stream);
            }
        }
    }

    @Override
    public String toString() {
        return "DockerRunningContainer[" + name + ", " + image + ", " + baseUri + "]";
    }

    LogBuffer logBuffer() {
        return logs;
    }

    void logStream(ResultCallback.Adapter<Frame> stream) {
        this.logStream = stream;
    }

    void logStreamEnded() {
        this.logStreamEnded = true;
    }

    boolean logStreamHasEnded() {
        return logStreamEnded;
    }

    void baseUri(URI uri) {
        this.baseUri = uri;
    }
}
