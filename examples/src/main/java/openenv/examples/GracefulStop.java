package openenv.examples;

import java.util.List;
import sun.misc.Signal;

/**
 * Makes SIGTERM and SIGINT a normal, successful exit of {@code serve}.
 *
 * <p>Without this the JVM runs its shutdown hooks on SIGTERM (our hook closes the server) and then exits with
 * status 143 (128 + 15). {@code docker stop}, Kubernetes and systemd all send SIGTERM to ask for a stop, and a
 * stop that was asked for is not a failure: with these handlers the signal becomes {@code System.exit(0)}, which
 * runs the same shutdown hooks, so the server still drains and closes its port before the process ends.
 * This matters most in a container, where the JVM is PID 1 and there is no shell to translate the status.
 */
final class GracefulStop {

    private static final System.Logger LOG = System.getLogger(GracefulStop.class.getName());

    private GracefulStop() {
    }

    /** Installs the handlers; a signal the platform does not know (e.g. on Windows) is skipped. */
    static void onTerminationSignalsExitWithZero() {
        for (String name : List.of("TERM", "INT")) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    LOG.log(System.Logger.Level.INFO, "SIG{0}: stopping the server", name);
                    System.exit(0); // runs the shutdown hooks, which close the server
                });
            } catch (IllegalArgumentException e) {
                LOG.log(System.Logger.Level.DEBUG, "Cannot handle SIG{0} here: {1}", name, e.getMessage());
            }
        }
    }
}
