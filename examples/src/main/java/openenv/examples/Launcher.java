package openenv.examples;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.function.Supplier;
import openenv.api.ConfigurationException;
import openenv.api.EnvServer;
import openenv.api.Environment;
import openenv.api.EnvironmentInfo;
import openenv.api.OpenEnvException;
import openenv.api.spi.ClientTransportProvider;
import openenv.api.spi.CodecProvider;

/**
 * The {@code openenv} command: {@code serve}, {@code bench}, {@code demo}. Run {@code ./openenv help}.
 */
public final class Launcher {

    static final Map<String, Supplier<Environment<?, ?, ?>>> BUNDLED = new LinkedHashMap<>();

    static {
        BUNDLED.put("echo", EchoEnvironment::new);
        BUNDLED.put("gridworld", GridWorldEnvironment::new);
        BUNDLED.put("connect4", ConnectFourEnvironment::new);
    }

    private static final String USAGE = String.join("\n",
            "usage: openenv <command> [options]",
            "",
            "  serve <env> [--host H] [--port P] [--max-sessions N] [--idle-timeout SECONDS] [--transport NAME]",
            "        Serve a bundled environment (" + String.join(", ", BUNDLED.keySet()) + ") or an environment",
            "        class on the module path. Defaults: host 127.0.0.1 (HOST), port 8000 (PORT), max sessions 64",
            "        (MAX_CONCURRENT_ENVS). Prints the URL; Ctrl-C / SIGTERM shuts down gracefully.",
            "  bench --url URL [--transport NAME] [--steps N] [--sessions K] [--warmup W] [--action JSON] [--json]",
            "        Drive any OpenEnv server (Java or Python): per session reset, W warm-up steps, N timed steps.",
            "        ws:// = WebSocket protocol, http:// = HTTP routes. Defaults: 1000 steps, 1 session,",
            "        action {\"message\":\"hello\"}.",
            "  demo [--steps N]",
            "        Start an echo server, bench it over every available client transport, print the table, stop.",
            "  image <env> [--tag T] [--no-cache]      (./openenv script only; needs Docker)",
            "        Build a container image FROM scratch: a jlink runtime of the environment, the libraries it",
            "        links and a non-root user. Default tag openenv/<env>:latest. See packaging/README.md.",
            "  bench-suite [--quick] [--only latency,throughput,codec,scale]   (./openenv script only)",
            "        The JMH suite (about 10 minutes): writes benchmarks/results/<date>/ (see benchmarks/README.md).",
            "");

    private Launcher() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, System.out, System.err);
        } catch (OpenEnvException | IllegalArgumentException e) {
            System.err.println("openenv: " + e.getMessage());
            status = 2;
        }
        System.exit(status);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || List.of("help", "-h", "--help").contains(args[0])) {
            out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Options options = Options.parse(args, 1);
        switch (args[0]) {
            case "serve":
                return serve(options, out);
            case "bench":
                return bench(options, out, err);
            case "demo":
                return demo(options, out, err);
            default:
                err.print("openenv: unknown command '" + args[0] + "'\n\n" + USAGE);
                return 2;
        }
    }

    private static int serve(Options options, PrintStream out) {
        String name = options.positional().orElseThrow(() -> new IllegalArgumentException(
                "serve needs an environment: one of " + BUNDLED.keySet() + " or a class name"));
        Supplier<Environment<?, ?, ?>> factory = environment(name);
        EnvServer.Builder builder = EnvServer.builder()
                .environment(factory)
                .info(EnvironmentInfo.named(name).withVersion("0.1.0"))
                .host(options.value("host").orElse(env("HOST").orElse("127.0.0.1")))
                .port(options.intValue("port").orElse(env("PORT").map(Integer::parseInt).orElse(8000)))
                .maxSessions(options.intValue("max-sessions")
                        .orElse(env("MAX_CONCURRENT_ENVS").map(Integer::parseInt).orElse(64)));
        options.intValue("idle-timeout").ifPresent(s -> builder.sessionIdleTimeout(Duration.ofSeconds(s)));
        options.value("transport").ifPresent(builder::transport);
        EnvServer server = builder.build().start();
        Thread hook = new Thread(server::close, "openenv-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GracefulStop.onTerminationSignalsExitWithZero(); // docker stop / kill: exit status 0, not 143
        out.println("Serving " + name + " on " + server.uri() + "  (WebSocket: "
                + server.uri().toString().replaceFirst("^http", "ws") + "/ws)  Ctrl-C to stop");
        out.flush();
        server.awaitShutdown();
        return 0;
    }

    @SuppressWarnings("unchecked")
    static Supplier<Environment<?, ?, ?>> environment(String name) {
        Supplier<Environment<?, ?, ?>> bundled = BUNDLED.get(name.toLowerCase(Locale.ROOT));
        if (bundled != null) {
            return bundled;
        }
        Class<?> type;
        try {
            type = Class.forName(name, true, Launcher.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new ConfigurationException("No environment '" + name + "': not a bundled one ("
                    + String.join(", ", BUNDLED.keySet()) + ") and no class of that name is visible. Put its module "
                    + "on the module path and give the fully qualified class name.", e);
        }
        if (!Environment.class.isAssignableFrom(type)) {
            throw new ConfigurationException(name + " does not implement openenv.api.Environment");
        }
        return () -> {
            try {
                return (Environment<?, ?, ?>) type.getConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new ConfigurationException("Cannot create " + name + " with its public no-argument "
                        + "constructor (is its package exported or opened to openenv.examples?): " + e, e);
            }
        };
    }

    private static int bench(Options options, PrintStream out, PrintStream err) {
        String url = options.value("url").orElseThrow(() -> new IllegalArgumentException(
                "bench needs --url, e.g. --url ws://127.0.0.1:8000"));
        Bench.Plan plan = new Bench.Plan(url, options.value("transport"), options.intValue("steps").orElse(1000),
                options.intValue("sessions").orElse(1), options.intValue("warmup").orElse(100),
                action(options.value("action").orElse("{\"message\":\"hello\"}")));
        Bench.Result result = Bench.run(plan, err);
        if (options.flag("json")) {
            out.println(result.json());
        } else {
            out.println(Bench.tableHeader());
            out.println(Bench.tableRow(result));
        }
        result.firstError().ifPresent(e -> err.println("first error: " + e));
        return result.errors() == 0 ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> action(String json) {
        CodecProvider codec = ServiceLoader.load(CodecProvider.class).findFirst().orElseThrow(() ->
                new ConfigurationException("No JSON codec on the module path: add openenv.json."));
        Object tree = codec.create().parse(json.getBytes(StandardCharsets.UTF_8));
        if (!(tree instanceof Map)) {
            throw new IllegalArgumentException("--action must be a JSON object, e.g. {\"message\":\"hi\"}");
        }
        return (Map<String, Object>) tree;
    }

    private static int demo(Options options, PrintStream out, PrintStream err) {
        int steps = options.intValue("steps").orElse(2000);
        Map<String, Object> action = action("{\"message\":\"hello\"}");
        List<Bench.Result> results = new ArrayList<>();
        try (EnvServer network = EnvServer.builder().environment(EchoEnvironment::new).port(0).build().start();
             EnvServer local = EnvServer.builder().environment(EchoEnvironment::new).transport("local").build()
                     .start()) {
            String http = network.uri().toString();
            String ws = http.replaceFirst("^http", "ws");
            out.println("Echo server on " + http + " (WebSocket " + ws + "/ws); " + steps + " steps per run");
            TreeSet<String> seen = new TreeSet<>();
            for (ClientTransportProvider provider : ServiceLoader.load(ClientTransportProvider.class)) {
                if (!seen.add(provider.name())) {
                    continue;
                }
                for (String scheme : List.of("ws", "http", "local")) {
                    if (!provider.schemes().contains(scheme)) {
                        continue;
                    }
                    String url = scheme.equals("ws") ? ws : scheme.equals("http") ? http : local.uri().toString();
                    for (int sessions : new int[] {1, 4}) {
                        err.println("  bench " + provider.name() + " " + url + " sessions=" + sessions);
                        results.add(Bench.run(new Bench.Plan(url, Optional.of(provider.name()), steps, sessions,
                                Math.min(500, steps), action), err));
                    }
                }
            }
        }
        out.println();
        out.println(Bench.tableHeader());
        results.forEach(r -> out.println(Bench.tableRow(r)));
        return results.stream().allMatch(r -> r.errors() == 0) ? 0 : 1;
    }

    private static Optional<String> env(String name) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** {@code --name value}, {@code --flag}, and one positional argument. */
    record Options(Map<String, String> values, Optional<String> positional) {

        static Options parse(String[] args, int from) {
            Map<String, String> values = new LinkedHashMap<>();
            String positional = null;
            for (int i = from; i < args.length; i++) {
                String arg = args[i];
                if (arg.startsWith("--")) {
                    String key = arg.substring(2);
                    int eq = key.indexOf('=');
                    if (eq >= 0) {
                        values.put(key.substring(0, eq), key.substring(eq + 1));
                    } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
                        values.put(key, args[++i]);
                    } else {
                        values.put(key, "true");
                    }
                } else if (positional == null) {
                    positional = arg;
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                }
            }
            return new Options(values, Optional.ofNullable(positional));
        }

        Optional<String> value(String key) {
            return Optional.ofNullable(values.get(key));
        }

        Optional<Integer> intValue(String key) {
            return value(key).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + key + " needs a whole number, got '" + v + "'");
                }
            });
        }

        boolean flag(String key) {
            return "true".equals(values.get(key));
        }
    }
}
