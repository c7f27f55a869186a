package openenv.api.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import openenv.api.Action;
import openenv.api.EnvTypes;
import openenv.api.Environment;
import openenv.api.EnvironmentInfo;
import openenv.api.Observation;
import openenv.api.ResetOptions;
import openenv.api.State;
import openenv.api.StepResult;
import openenv.api.ValidationProblem;
import openenv.api.spi.Codec;
import openenv.api.spi.HttpRequest;
import openenv.api.spi.HttpResponse;
import openenv.api.spi.MalformedJsonException;
import openenv.api.spi.ProtocolHandler;
import openenv.api.spi.ServerExtension;
import openenv.api.spi.ValidationFailure;
import openenv.api.spi.WebSocketPeer;
import openenv.api.spi.WebSocketSession;

/**
 * The transport-neutral OpenEnv protocol (PROTOCOL.md): HTTP routes, the WebSocket session protocol, sessions
 * with a capacity limit and idle reaping, environment calls on a worker pool (one session's calls in order,
 * sessions in parallel), and the mapping of every failure to its wire error. Knows nothing about sockets.
 */
public final class ProtocolEngine implements ProtocolHandler, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ProtocolEngine.class.getName());

    /** Header that selects a stateful HTTP session (extension). */
    public static final String SESSION_HEADER = "x-openenv-session";

    private static final Set<String> WS_ENVELOPE_KEYS = Set.of("type", "data", "id");
    private static final Set<String> WS_TYPES = Set.of("reset", "step", "state", "close");
    private static final byte[] HEALTHY = "{\"status\":\"healthy\"}".getBytes(StandardCharsets.UTF_8);

    /**
     * Engine settings.
     *
     * @param maxSessions  WebSocket plus HTTP sessions at once (the default HTTP session is not counted)
     * @param idleTimeout  sessions idle this long are closed; {@link Duration#ZERO} disables reaping
     * @param stepTimeout  longest reset/step/state call; {@link Duration#ZERO} = no limit. On expiry the client
     *                     gets {@code EXECUTION_ERROR} and the session is closed.
     * @param onIoThread   run environment calls on the thread that delivered the request (the transport's I/O
     *                     thread) instead of the worker pool: no thread hand-off, for environments whose steps
     *                     take microseconds and never block. One session's calls stay in order.
     */
    public record Settings(int maxSessions, Duration idleTimeout, Duration stepTimeout, boolean onIoThread) {
        public Settings {
            if (maxSessions < 1) {
                throw new IllegalArgumentException("maxSessions must be at least 1, was " + maxSessions);
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            Objects.requireNonNull(stepTimeout, "stepTimeout");
            if (idleTimeout.isNegative() || stepTimeout.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative");
            }
        }
    }

    private final Settings settings;
    private final Codec codec;
    private final Supplier<? extends Environment<?, ?, ?>> factory;
    private final EnvTypes<?, ?, ?> types;
    private final List<ServerExtension> extensions;
    private final ThreadPoolExecutor workers;
    /** Where session tasks run: the worker pool, or inline on the caller (see {@link Settings#onIoThread()}). */
    private final java.util.concurrent.Executor sessionPool;
    private final ScheduledExecutorService timer;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger activeSessions = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Object defaultLock = new Object();
    private volatile Session defaultSession;
    private final byte[] schemaBody;
    private final byte[] metadataBody;
    private final byte[] openApiBody;

    /**
     * @param first an environment already made by {@code factory} (used to find the types); it becomes the
     *              default HTTP session's environment
     */
    public ProtocolEngine(Settings settings, Codec codec, Supplier<? extends Environment<?, ?, ?>> factory,
                          Environment<?, ?, ?> first, EnvTypes<?, ?, ?> types, EnvironmentInfo info,
                          List<ServerExtension> extensions) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.types = Objects.requireNonNull(types, "types");
        this.extensions = List.copyOf(extensions);
        AtomicInteger threadCount = new AtomicInteger();
        this.workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> daemon(r, "openenv-env-" + threadCount.incrementAndGet()));
        this.sessionPool = settings.onIoThread() ? Runnable::run : workers;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "openenv-session-timer"));
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("action", codec.schema(types.action()));
        schema.put("observation", codec.schema(types.observation()));
        schema.put("state", codec.schema(types.state()));
        this.schemaBody = codec.write(schema);
        this.metadataBody = codec.write(metadata(info));
        this.openApiBody = codec.write(OpenApi.document(info, schema));
        Session initial = new Session("default", Session.Kind.DEFAULT, sessionPool);
        initial.environment = cast(Objects.requireNonNull(first, "first"));
        this.defaultSession = initial;
        if (!settings.idleTimeout().isZero()) {
            long period = Math.max(100, Math.min(30_000, settings.idleTimeout().toMillis() / 4));
            timer.scheduleAtFixedRate(this::reapIdleSessions, period, period, TimeUnit.MILLISECONDS);
        }
        for (ServerExtension extension : this.extensions) {
            extension.bind(this, codec);
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread thread = new Thread(r, name);
        thread.setDaemon(true);
        return thread;
    }

    @SuppressWarnings("unchecked")
    private static Environment<Action, Observation, State> cast(Environment<?, ?, ?> environment) {
        return (Environment<Action, Observation, State>) environment;
    }

    /** Sessions currently open, not counting the default HTTP session. */
    public int activeSessions() {
        return activeSessions.get();
    }

    /** The engine's settings. */
    public Settings settings() {
        return settings;
    }

    // ------------------------------------------------------------------ HTTP

    @Override
    public CompletionStage<HttpResponse> handle(HttpRequest request) {
        try {
            return route(request);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "Unexpected failure handling " + request.method() + " "
                    + request.path(), e);
            return CompletableFuture.completedFuture(HttpResponse.detail(500, "Internal server error: " + e));
        }
    }

    private CompletionStage<HttpResponse> route(HttpRequest request) {
        String path = request.path();
        String method = request.method();
        switch (path) {
            case "/health":
                return only(method, "GET", () -> done(HttpResponse.json(200, HEALTHY)));
            case "/reset":
                return only(method, "POST", () -> httpCall(request, Call.RESET));
            case "/step":
                return only(method, "POST", () -> httpCall(request, Call.STEP));
            case "/state":
                return only(method, "GET", () -> httpCall(request, Call.STATE));
            case "/schema":
                return only(method, "GET", () -> done(HttpResponse.json(200, schemaBody)));
            case "/metadata":
                return only(method, "GET", () -> done(HttpResponse.json(200, metadataBody)));
            case "/openapi.json":
                return only(method, "GET", () -> done(HttpResponse.json(200, openApiBody)));
            case "/sessions":
                return only(method, "POST", this::createHttpSession);
            case "/ws":
                return only(method, "GET", () -> done(HttpResponse.detail(426,
                        "Upgrade Required: /ws speaks the WebSocket session protocol; connect with a WebSocket "
                                + "client (ws://host:port/ws), or use the HTTP routes /reset, /step, /state.")));
            default:
                break;
        }
        if (path.startsWith("/sessions/") && path.length() > "/sessions/".length()) {
            return only(method, "DELETE", () -> deleteHttpSession(path.substring("/sessions/".length())));
        }
        for (ServerExtension extension : extensions) {
            String prefix = extension.pathPrefix();
            if (path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/")) {
                Optional<CompletionStage<HttpResponse>> answer = extension.handle(request);
                if (answer.isPresent()) {
                    return answer.get();
                }
            }
        }
        return done(HttpResponse.detail(404, "Not Found"));
    }

    private static CompletionStage<HttpResponse> only(String method, String allowed,
                                                      Supplier<CompletionStage<HttpResponse>> action) {
        if (method.equals(allowed)) {
            return action.get();
        }
        byte[] body = "{\"detail\":\"Method Not Allowed\"}".getBytes(StandardCharsets.UTF_8);
        return done(new HttpResponse(405, HttpResponse.JSON, Map.of("Allow", allowed), body));
    }

    private static CompletionStage<HttpResponse> done(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private enum Call { RESET, STEP, STATE }

    private CompletionStage<HttpResponse> httpCall(HttpRequest request, Call call) {
        Optional<String> sessionId = request.header(SESSION_HEADER);
        Session session;
        if (sessionId.isPresent()) {
            session = sessions.get(sessionId.get());
            if (session == null || session.kind != Session.Kind.HTTP) {
                return done(unknownSession(sessionId.get()));
            }
        } else {
            session = defaultSession();
        }
        CompletableFuture<HttpResponse> reply = new CompletableFuture<>();
        Session target = session;
        target.submit(() -> {
            if (reply.isDone()) {
                return;
            }
            if (target.environment == null) {
                reply.complete(errorResponse(500, "Session " + target.id + " is closed", "SESSION_ERROR"));
                return;
            }
            runHttpCall(target, request.body(), call, reply);
        });
        return reply;
    }

    private void runHttpCall(Session session, byte[] body, Call call, CompletableFuture<HttpResponse> reply) {
        Environment<Action, Observation, State> env = session.environment;
        Duration timeout = settings.stepTimeout();
        Runnable work;
        switch (call) {
            case STATE -> work = () -> reply.complete(HttpResponse.json(200, codec.write(env.state())));
            case RESET -> {
                Map<String, Object> tree = isBlank(body) ? Map.of() : bodyObject(body, reply);
                if (tree == null) {
                    return;
                }
                List<ValidationProblem> problems = new ArrayList<>();
                ResetOptions options = resetOptions(tree, problems);
                if (!problems.isEmpty()) {
                    reply.complete(validation(prefixAll(problems, "body")));
                    return;
                }
                work = () -> reply.complete(HttpResponse.json(200, codec.writeStepResult(checked(env.reset(options)),
                        null, null)));
            }
            case STEP -> {
                if (isBlank(body)) {
                    reply.complete(validation(List.of(ValidationProblem.of("missing", List.of("body"),
                            "Field required", null))));
                    return;
                }
                Map<String, Object> request = bodyObject(body, reply);
                if (request == null) {
                    return;
                }
                List<ValidationProblem> problems = new ArrayList<>();
                Object rawAction = request.get("action");
                if (!request.containsKey("action")) {
                    problems.add(ValidationProblem.of("missing", List.of("body", "action"), "Field required",
                            request));
                } else if (!(rawAction instanceof Map)) {
                    problems.add(ValidationProblem.of("dict_type", List.of("body", "action"),
                            "Input should be a valid dictionary", rawAction));
                }
                Object timeoutS = request.get("timeout_s");
                if (timeoutS != null) {
                    if (!(timeoutS instanceof Number number) || timeoutS instanceof Boolean) {
                        problems.add(ValidationProblem.of("float_type", List.of("body", "timeout_s"),
                                "Input should be a valid number", timeoutS));
                    } else if (number.doubleValue() <= 0) {
                        problems.add(new ValidationProblem("greater_than", List.of("body", "timeout_s"),
                                "Input should be greater than 0", timeoutS, Map.of("gt", 0)));
                    } else {
                        Duration asked = Duration.ofNanos((long) (number.doubleValue() * 1e9));
                        timeout = timeout.isZero() || asked.compareTo(timeout) < 0 ? asked : timeout;
                    }
                }
                Object requestId = request.get("request_id");
                if (requestId != null && !(requestId instanceof String)) {
                    problems.add(ValidationProblem.of("string_type", List.of("body", "request_id"),
                            "Input should be a valid string", requestId));
                }
                if (!problems.isEmpty()) {
                    reply.complete(validation(problems));
                    return;
                }
                Map<String, Object> actionTree = asMap(rawAction);
                DecodedAction decoded;
                try {
                    decoded = decodeAction(actionTree);
                } catch (ValidationFailure e) {
                    reply.complete(validation(e.problems()));
                    return;
                }
                work = () -> reply.complete(HttpResponse.json(200,
                        codec.writeStepResult(checked(env.step(decoded.action(), decoded.metadata())), null, null)));
            }
            default -> throw new IllegalStateException("unknown call " + call);
        }
        Duration effective = timeout;
        ScheduledFuture<?> deadline = effective.isZero() ? null : timer.schedule(() -> {
            if (reply.complete(errorResponse(500, timeoutMessage(effective), "EXECUTION_ERROR"))) {
                closeSession(session, "call exceeded the step timeout");
            }
        }, effective.toNanos(), TimeUnit.NANOSECONDS);
        try {
            work.run();
        } catch (RuntimeException | Error e) {
            reply.complete(errorResponse(500, messageOf(e), "EXECUTION_ERROR"));
            logEnvironmentFailure(session, e);
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
    }

    /**
     * The request body as a JSON object, or {@code null} after completing {@code reply} with the 422 for a body
     * that is not JSON or not an object.
     */
    private Map<String, Object> bodyObject(byte[] body, CompletableFuture<HttpResponse> reply) {
        Object parsed;
        try {
            parsed = codec.parse(body);
        } catch (MalformedJsonException e) {
            reply.complete(jsonInvalid(e));
            return null;
        }
        if (!(parsed instanceof Map)) {
            reply.complete(validation(List.of(notAnObject(parsed).prefixed("body"))));
            return null;
        }
        return asMap(parsed);
    }

    private Session defaultSession() {
        Session current = defaultSession;
        if (!current.isClosed()) {
            return current;
        }
        synchronized (defaultLock) {
            if (defaultSession.isClosed()) {
                Session fresh = new Session("default", Session.Kind.DEFAULT, sessionPool);
                fresh.submit(() -> fresh.environment = createEnvironment());
                defaultSession = fresh;
            }
            return defaultSession;
        }
    }

    private CompletionStage<HttpResponse> createHttpSession() {
        if (closing.get()) {
            return done(errorResponse(503, "Server is shutting down", "SESSION_ERROR"));
        }
        if (!reserveSlot()) {
            return done(capacityResponse());
        }
        Session session = new Session(UUID.randomUUID().toString(), Session.Kind.HTTP, sessionPool);
        sessions.put(session.id, session);
        if (closing.get()) {
            // shutdown started after the check above and may have walked the sessions before this one was in
            closeSession(session, "server shutting down");
            return done(errorResponse(503, "Server is shutting down", "SESSION_ERROR"));
        }
        CompletableFuture<HttpResponse> reply = new CompletableFuture<>();
        session.submit(() -> {
            try {
                session.environment = createEnvironment();
            } catch (RuntimeException | Error e) {
                closeSession(session, "factory failed");
                reply.complete(errorResponse(500, "Environment factory failed: " + messageOf(e), "FACTORY_ERROR"));
                return;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("session_id", session.id);
            reply.complete(HttpResponse.json(201, codec.write(body)));
        });
        return reply;
    }

    private CompletionStage<HttpResponse> deleteHttpSession(String id) {
        Session session = sessions.get(id);
        if (session == null || session.kind != Session.Kind.HTTP) {
            return done(unknownSession(id));
        }
        closeSession(session, "closed by client");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("session_id", id);
        body.put("closed", true);
        return done(HttpResponse.json(200, codec.write(body)));
    }

    private HttpResponse unknownSession(String id) {
        return errorResponse(404, "Session '" + id + "' not found: it was closed, reaped after "
                + settings.idleTimeout() + " idle, or never existed. Create one with POST /sessions.", null);
    }

    private HttpResponse capacityResponse() {
        return new HttpResponse(503, HttpResponse.JSON, Map.of("Retry-After", "1"), codec.write(
                errorBody(capacityMessage(), "CAPACITY_REACHED")));
    }

    private String capacityMessage() {
        return "Server at capacity: " + activeSessions.get() + " of " + settings.maxSessions()
                + " sessions in use. Retry later, close idle sessions, or start the server with more sessions"
                + " (--max-sessions / MAX_CONCURRENT_ENVS).";
    }

    private HttpResponse errorResponse(int status, String message, String code) {
        return HttpResponse.json(status, codec.write(errorBody(message, code)));
    }

    private static Map<String, Object> errorBody(String message, String code) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", message);
        if (code != null) {
            body.put("code", code);
        }
        return body;
    }

    private HttpResponse validation(List<ValidationProblem> problems) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", problemTrees(problems));
        return HttpResponse.json(422, codec.write(body));
    }

    private HttpResponse jsonInvalid(MalformedJsonException e) {
        return validation(List.of(new ValidationProblem("json_invalid", List.of("body", e.offset()),
                "JSON decode error", Map.of(), Map.of("error", e.getMessage()))));
    }

    // ------------------------------------------------------------- WebSocket

    @Override
    public boolean acceptsWebSocket(String path) {
        return "/ws".equals(path);
    }

    @Override
    public WebSocketSession openWebSocket(WebSocketPeer peer) {
        if (closing.get()) {
            sendError(peer, "SESSION_ERROR", "Server is shutting down", Map.of(), null);
            peer.close(1001, "server shutting down");
            return ClosedWebSocket.INSTANCE;
        }
        if (!reserveSlot()) {
            Map<String, Object> extra = new LinkedHashMap<>();
            extra.put("active_sessions", activeSessions.get());
            extra.put("max_sessions", settings.maxSessions());
            sendError(peer, "CAPACITY_REACHED", capacityMessage(), extra, null);
            peer.close(1000, "capacity reached");
            return ClosedWebSocket.INSTANCE;
        }
        Session session = new Session(UUID.randomUUID().toString(), Session.Kind.WEBSOCKET, sessionPool);
        session.onReaped = () -> peer.close(1000, "session idle for longer than " + settings.idleTimeout());
        sessions.put(session.id, session);
        if (closing.get()) {
            // shutdown started after the check above and may have walked the sessions before this one was in
            closeSession(session, "server shutting down");
            peer.close(1001, "server shutting down");
            return ClosedWebSocket.INSTANCE;
        }
        session.submit(() -> {
            try {
                session.environment = createEnvironment();
            } catch (RuntimeException | Error e) {
                sendError(peer, "FACTORY_ERROR", "Environment factory failed: " + messageOf(e), Map.of(), null);
                closeSession(session, "factory failed");
                peer.close(1011, "environment factory failed");
            }
        });
        return new WebSocketSession() {
            @Override
            public void onText(byte[] utf8) {
                if (!session.isClosed()) {
                    session.submit(() -> handleMessage(session, peer, utf8));
                }
            }

            @Override
            public void onClose() {
                closeSession(session, "connection closed");
            }
        };
    }

    private void handleMessage(Session session, WebSocketPeer peer, byte[] utf8) {
        if (session.isClosed() || session.environment == null) {
            return;
        }
        Object parsed;
        try {
            parsed = codec.parse(utf8);
        } catch (MalformedJsonException e) {
            sendError(peer, "INVALID_JSON", "Invalid JSON: " + e.getMessage(), Map.of(), null);
            return;
        }
        if (!(parsed instanceof Map)) {
            sendValidation(peer, List.of(notAnObject(parsed)), null);
            return;
        }
        Map<String, Object> message = asMap(parsed);
        Object id = message.get("id");
        Object type = message.get("type");
        if (!(type instanceof String) || !WS_TYPES.contains(type)) {
            sendError(peer, "UNKNOWN_TYPE", "Unknown message type: " + (type == null ? "None" : type), Map.of(), id);
            return;
        }
        List<ValidationProblem> problems = new ArrayList<>();
        for (String key : message.keySet()) {
            if (!WS_ENVELOPE_KEYS.contains(key)) {
                problems.add(ValidationProblem.of("extra_forbidden", List.of(key), "Extra inputs are not permitted",
                        message.get(key)));
            }
        }
        Object data = message.get("data");
        Environment<Action, Observation, State> env = session.environment;
        Supplier<byte[]> work;
        switch ((String) type) {
            case "close" -> {
                closeSession(session, "closed by client");
                peer.close(1000, "");
                return;
            }
            case "state" -> work = () -> codec.write(wsReply("state", env.state(), id));
            case "reset" -> {
                Map<String, Object> tree = Map.of();
                if (data instanceof Map) {
                    tree = asMap(data);
                } else if (data != null) {
                    problems.add(ValidationProblem.of("dict_type", List.of("data"), "Input should be a valid dictionary",
                            data));
                }
                ResetOptions options = resetOptions(tree, problems);
                work = () -> codec.writeStepResult(checked(env.reset(options)), "observation", id);
            }
            case "step" -> {
                DecodedAction decoded = null;
                if (!message.containsKey("data")) {
                    problems.add(ValidationProblem.of("missing", List.of("data"), "Field required", message));
                } else if (!(data instanceof Map)) {
                    problems.add(ValidationProblem.of("dict_type", List.of("data"), "Input should be a valid dictionary",
                            data));
                } else {
                    try {
                        decoded = decodeAction(asMap(data));
                    } catch (ValidationFailure e) {
                        problems.addAll(e.problems());
                    }
                }
                DecodedAction action = decoded;
                work = () -> codec.writeStepResult(checked(env.step(action.action(), action.metadata())),
                        "observation", id);
            }
            default -> throw new IllegalStateException("unreachable: " + type);
        }
        if (!problems.isEmpty()) {
            sendValidation(peer, problems, id);
            return;
        }
        Duration timeout = settings.stepTimeout();
        // Only a deadline can race the reply; without one nothing needs allocating per message.
        AtomicBoolean answered = timeout.isZero() ? null : new AtomicBoolean();
        ScheduledFuture<?> deadline = timeout.isZero() ? null : timer.schedule(() -> {
            if (answered.compareAndSet(false, true)) {
                sendError(peer, "EXECUTION_ERROR", timeoutMessage(timeout), Map.of(), id);
                closeSession(session, "call exceeded the step timeout");
                peer.close(1011, "step timeout");
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        byte[] reply;
        try {
            reply = work.get();
        } catch (RuntimeException | Error e) {
            logEnvironmentFailure(session, e);
            reply = codec.write(wsError("EXECUTION_ERROR", messageOf(e), Map.of(), id));
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
        }
        if (answered == null || answered.compareAndSet(false, true)) {
            peer.sendText(reply);
        }
    }

    private static Map<String, Object> wsReply(String type, Object data, Object id) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("type", type);
        reply.put("data", data);
        if (id != null) {
            reply.put("id", id);
        }
        return reply;
    }

    private Map<String, Object> wsError(String code, String message, Map<String, Object> extra, Object id) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("message", message);
        data.put("code", code);
        data.putAll(extra);
        return wsReply("error", data, id);
    }

    private void sendError(WebSocketPeer peer, String code, String message, Map<String, Object> extra, Object id) {
        peer.sendText(codec.write(wsError(code, message, extra, id)));
    }

    private void sendValidation(WebSocketPeer peer, List<ValidationProblem> problems, Object id) {
        sendError(peer, "VALIDATION_ERROR", "Invalid message", Map.of("errors", problemTrees(problems)), id);
    }

    private enum ClosedWebSocket implements WebSocketSession {
        INSTANCE;

        @Override
        public void onText(byte[] utf8) {
            // the connection is being closed; nothing more is answered
        }

        @Override
        public void onClose() {
            // nothing was reserved
        }
    }

    // ------------------------------------------------------------ shared parts

    private record DecodedAction(Action action, Map<String, Object> metadata) {
    }

    private DecodedAction decodeAction(Map<String, Object> tree) {
        Object metadata = tree.get("metadata");
        if (metadata != null && !(metadata instanceof Map)) {
            throw new ValidationFailure(List.of(ValidationProblem.of("dict_type", List.of("metadata"),
                    "Input should be a valid dictionary", metadata)));
        }
        Action action = codec.fromTree(tree, types.action(), true);
        return new DecodedAction(action, metadata == null ? Map.of() : asMap(metadata));
    }

    /** Reads seed / episode_id / extras of a reset body; problems are added with locations relative to it. */
    private static ResetOptions resetOptions(Map<String, Object> body, List<ValidationProblem> problems) {
        OptionalLong seed = OptionalLong.empty();
        Object rawSeed = body.get("seed");
        if (rawSeed != null) {
            if (rawSeed instanceof Long || rawSeed instanceof Integer) {
                long value = ((Number) rawSeed).longValue();
                if (value < 0) {
                    problems.add(new ValidationProblem("greater_than_equal", List.of("seed"),
                            "Input should be greater than or equal to 0", rawSeed, Map.of("ge", 0)));
                } else {
                    seed = OptionalLong.of(value);
                }
            } else if (rawSeed instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                if (d < 0) {
                    problems.add(new ValidationProblem("greater_than_equal", List.of("seed"),
                            "Input should be greater than or equal to 0", rawSeed, Map.of("ge", 0)));
                } else {
                    seed = OptionalLong.of(d.longValue());
                }
            } else if (rawSeed instanceof Double) {
                problems.add(ValidationProblem.of("int_from_float", List.of("seed"),
                        "Input should be a valid integer, got a number with a fractional part", rawSeed));
            } else {
                problems.add(ValidationProblem.of("int_type", List.of("seed"), "Input should be a valid integer",
                        rawSeed));
            }
        }
        Optional<String> episodeId = Optional.empty();
        Object rawEpisode = body.get("episode_id");
        if (rawEpisode instanceof String text) {
            episodeId = Optional.of(text);
        } else if (rawEpisode != null) {
            problems.add(ValidationProblem.of("string_type", List.of("episode_id"), "Input should be a valid string",
                    rawEpisode));
        }
        Map<String, Object> extras = new LinkedHashMap<>(body);
        extras.remove("seed");
        extras.remove("episode_id");
        return new ResetOptions(seed, episodeId, extras);
    }

    /**
     * A reset/step result, checked; the codec writes its wire envelope (PROTOCOL.md §1, {@link
     * Codec#writeStepResult}).
     */
    private static StepResult<?> checked(StepResult<?> result) {
        if (result == null) {
            throw new IllegalStateException("the environment returned null instead of a StepResult");
        }
        return result;
    }

    private static List<Object> problemTrees(List<ValidationProblem> problems) {
        List<Object> trees = new ArrayList<>(problems.size());
        for (ValidationProblem problem : problems) {
            Map<String, Object> tree = new LinkedHashMap<>();
            tree.put("type", problem.type());
            tree.put("loc", problem.loc());
            tree.put("msg", problem.msg());
            tree.put("input", problem.input());
            if (!problem.ctx().isEmpty()) {
                tree.put("ctx", problem.ctx());
            }
            trees.add(tree);
        }
        return trees;
    }

    private static List<ValidationProblem> prefixAll(List<ValidationProblem> problems, Object prefix) {
        List<ValidationProblem> out = new ArrayList<>(problems.size());
        for (ValidationProblem problem : problems) {
            out.add(problem.prefixed(prefix));
        }
        return out;
    }

    private static ValidationProblem notAnObject(Object input) {
        return ValidationProblem.of("model_attributes_type", List.of(),
                "Input should be a valid dictionary or object to extract fields from", input);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object tree) {
        return (Map<String, Object>) tree;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String messageOf(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private static String timeoutMessage(Duration timeout) {
        return "The environment call did not finish within the step timeout of " + timeout.toMillis()
                + " ms; the session was closed. Raise the timeout (EnvServer.builder().stepTimeout) or make the"
                + " step faster.";
    }

    private static void logEnvironmentFailure(Session session, Throwable e) {
        LOG.log(System.Logger.Level.WARNING, () -> "Environment call failed in session " + session.id
                + "; the client got EXECUTION_ERROR: " + e, e);
    }

    private static Map<String, Object> metadata(EnvironmentInfo info) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", info.name());
        body.put("description", info.description().orElse(null));
        body.put("readme_content", info.readmeContent().orElse(null));
        body.put("version", info.version().orElse(null));
        body.put("author", info.author().orElse(null));
        body.put("documentation_url", info.documentationUrl().orElse(null));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put("implementation", "openenv-java");
        server.put("ws_message_id", true);
        server.put("http_sessions", true);
        body.put("openenv_java", server);
        return body;
    }

    // -------------------------------------------------------------- sessions

    private Environment<Action, Observation, State> createEnvironment() {
        Environment<?, ?, ?> created = factory.get();
        if (created == null) {
            throw new IllegalStateException("the environment factory returned null");
        }
        return cast(created);
    }

    private boolean reserveSlot() {
        while (true) {
            int current = activeSessions.get();
            if (current >= settings.maxSessions()) {
                return false;
            }
            if (activeSessions.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    private void closeSession(Session session, String why) {
        if (session.kind == Session.Kind.DEFAULT) {
            session.close();
            return;
        }
        if (sessions.remove(session.id, session)) {
            activeSessions.decrementAndGet();
            LOG.log(System.Logger.Level.DEBUG, () -> "Session " + session.id + " ended: " + why);
        }
        session.close();
    }

    private void reapIdleSessions() {
        long limit = settings.idleTimeout().toNanos();
        long now = System.nanoTime();
        for (Session session : sessions.values()) {
            if (session.idleLongerThan(limit, now)) {
                LOG.log(System.Logger.Level.INFO, "Closing session " + session.id + " (" + session.kind
                        + "): idle for longer than " + settings.idleTimeout());
                closeSession(session, "idle timeout");
                Runnable onReaped = session.onReaped;
                if (onReaped != null) {
                    onReaped.run();
                }
            }
        }
    }

    /** Ids of open sessions (tests and diagnostics). */
    public Collection<String> sessionIds() {
        return List.copyOf(sessions.keySet());
    }

    /**
     * Closes every session (each environment's {@code close} runs after its queued calls), waits up to
     * {@code grace} for them, and stops the engine's threads. Idempotent.
     */
    public void shutdown(Duration grace) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        for (Session session : sessions.values()) {
            closeSession(session, "server shutting down");
            Runnable onReaped = session.onReaped;
            if (onReaped != null) {
                onReaped.run();
            }
        }
        defaultSession.close();
        timer.shutdownNow();
        workers.shutdown();
        try {
            if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "Environment calls still running after " + grace
                        + "; interrupting them");
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
    }

    @Override
    public void close() {
        shutdown(Duration.ofSeconds(10));
    }
}
